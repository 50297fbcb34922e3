/// RFC 4180 CSV: comma-separated, fields optionally in double quotes (a quote inside
/// doubled), quoted fields may span lines. Each record knows the line it starts on, so
/// problems can be reported as `file:line`.
struct CSVReader {
    struct Record: Equatable {
        let line: Int
        let fields: [String]
    }

    struct Failure: Error, Equatable {
        let line: Int
        let message: String
    }

    /// Every record, blank lines skipped; or the first place the text stops being CSV.
    static func records(_ text: String) -> Result<[Record], Failure> {
        var records: [Record] = []
        var fields: [String] = []
        var field = ""
        var line = 1, recordLine = 1
        var inQuotes = false, fieldWasQuoted = false
        var characters = text.makeIterator()
        var pending: Character? = nil

        func endRecord() {
            fields.append(field)
            if !(fields.count == 1 && fields[0].isEmpty && !fieldWasQuoted) { records.append(Record(line: recordLine, fields: fields)) }
            fields = []
            field = ""
            fieldWasQuoted = false
        }

        while let character = pending ?? characters.next() {
            pending = nil
            if inQuotes {
                if character == "\"" {
                    let next = characters.next()
                    if next == "\"" { field.append("\"") } else { inQuotes = false; pending = next }
                } else {
                    if character == "\n" || character == "\r\n" { line += 1 }
                    field.append(character)
                }
                continue
            }
            switch character {
            case "\"":
                guard field.isEmpty, !fieldWasQuoted else { return .failure(Failure(line: line, message: "a quote inside an unquoted field")) }
                inQuotes = true
                fieldWasQuoted = true
            case ",":
                fields.append(field)
                field = ""
                fieldWasQuoted = false
            case "\n", "\r\n", "\r":
                endRecord()
                line += 1
                recordLine = line
            default:
                guard !fieldWasQuoted else { return .failure(Failure(line: line, message: "text after a closing quote")) }
                field.append(character)
            }
        }
        if inQuotes { return .failure(Failure(line: recordLine, message: "a quoted field is never closed")) }
        if !field.isEmpty || !fields.isEmpty || fieldWasQuoted { endRecord() }
        return .success(records)
    }
}

/// RFC 4180 CSV: comma-separated, fields optionally in double quotes (a quote inside
/// doubled), quoted fields may span lines. Each record knows the line it starts on, so
/// problems can be reported as `file:line`. A record that is not valid CSV is reported and
/// skipped up to the end of its line; reading goes on with the next.
struct CSVReader {
    struct Record: Equatable {
        let line: Int
        let fields: [String]
    }

    struct Failure: Error, Equatable {
        let line: Int
        let message: String
    }

    static func read(_ text: String) -> (records: [Record], failures: [Failure]) {
        var records: [Record] = []
        var failures: [Failure] = []
        var fields: [String] = []
        var field = ""
        var line = 1, recordLine = 1
        var inQuotes = false, fieldWasQuoted = false, skipping = false
        var characters = text.makeIterator()
        var pending: Character? = nil

        func endRecord() {
            fields.append(field)
            let blank = fields.count == 1 && fields[0].isEmpty && !fieldWasQuoted
            if !skipping && !blank { records.append(Record(line: recordLine, fields: fields)) }
            fields = []
            field = ""
            fieldWasQuoted = false
            skipping = false
        }

        func fail(_ message: String) {
            failures.append(Failure(line: recordLine, message: message))
            skipping = true
        }

        while let character = pending ?? characters.next() {
            pending = nil
            let isNewline = character == "\n" || character == "\r\n" || character == "\r"
            if inQuotes {
                if character == "\"" {
                    let next = characters.next()
                    if next == "\"" { field.append("\"") } else { inQuotes = false; pending = next }
                } else {
                    if isNewline { line += 1 }
                    field.append(character)
                }
                continue
            }
            if isNewline {
                endRecord()
                line += 1
                recordLine = line
                continue
            }
            if skipping { continue }
            switch character {
            case "\"":
                if field.isEmpty && !fieldWasQuoted {
                    inQuotes = true
                    fieldWasQuoted = true
                } else {
                    fail("a quote inside an unquoted field; quote the whole field and double the quote")
                }
            case ",":
                fields.append(field)
                field = ""
                fieldWasQuoted = false
            default:
                if fieldWasQuoted { fail("text after a closing quote") } else { field.append(character) }
            }
        }
        if inQuotes {
            failures.append(Failure(line: recordLine, message: "a quoted field is never closed"))
        } else if !field.isEmpty || !fields.isEmpty || fieldWasQuoted {
            endRecord()
        }
        return (records, failures)
    }
}

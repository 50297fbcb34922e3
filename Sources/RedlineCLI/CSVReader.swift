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
        var state = State()
        var characters = text.makeIterator()
        var pending: Character? = nil
        while let character = pending ?? characters.next() {
            pending = nil
            let isNewline = character == "\n" || character == "\r\n" || character == "\r"
            if state.inQuotes {
                if character == "\"" {
                    let next = characters.next()
                    if next == "\"" { state.field.append("\"") } else { state.inQuotes = false; pending = next }
                } else {
                    if isNewline { state.line += 1 }
                    state.field.append(character)
                }
            } else if isNewline {
                state.endRecord()
                state.line += 1
                state.recordLine = state.line
            } else if !state.skipping {
                state.unquoted(character)
            }
        }
        if state.inQuotes {
            state.failures.append(Failure(line: state.recordLine, message: "a quoted field is never closed"))
        } else if !state.field.isEmpty || !state.fields.isEmpty || state.fieldWasQuoted {
            state.endRecord()
        }
        return (state.records, state.failures)
    }

    /// Where reading is: the record so far, and what was read before it.
    private struct State {
        var records: [Record] = []
        var failures: [Failure] = []
        var fields: [String] = []
        var field = ""
        var line = 1, recordLine = 1
        var inQuotes = false, fieldWasQuoted = false
        /// After a problem, the rest of the record is passed over.
        var skipping = false

        mutating func endRecord() {
            fields.append(field)
            let blank = fields.count == 1 && fields[0].isEmpty && !fieldWasQuoted
            if !skipping && !blank { records.append(Record(line: recordLine, fields: fields)) }
            fields = []
            field = ""
            fieldWasQuoted = false
            skipping = false
        }

        mutating func fail(_ message: String) {
            failures.append(Failure(line: recordLine, message: message))
            skipping = true
        }

        /// A character outside quotes, not a line end.
        mutating func unquoted(_ character: Character) {
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
    }
}

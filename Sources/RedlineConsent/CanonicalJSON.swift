import RedlineManifest
import Foundation

/// Writes the canonical JSON of the record types by hand, byte for byte what `JSONEncoder`
/// with sorted keys and unescaped slashes writes (a test holds the two together), at a
/// fraction of the cost: encoding was a third of the work of a consent write.
///
/// Keys are written in sorted order by each type below; absent optionals are left out.
public struct CanonicalJSONWriter {
    public private(set) var bytes: [UInt8] = []

    init() { bytes.reserveCapacity(1024) }

    mutating func string(_ text: String) {
        bytes.append(UInt8(ascii: "\""))
        for byte in text.utf8 {
            switch byte {
            case UInt8(ascii: "\""): bytes.append(contentsOf: [92, 34])
            case UInt8(ascii: "\\"): bytes.append(contentsOf: [92, 92])
            case 0x08: bytes.append(contentsOf: [92, UInt8(ascii: "b")])
            case 0x09: bytes.append(contentsOf: [92, UInt8(ascii: "t")])
            case 0x0A: bytes.append(contentsOf: [92, UInt8(ascii: "n")])
            case 0x0C: bytes.append(contentsOf: [92, UInt8(ascii: "f")])
            case 0x0D: bytes.append(contentsOf: [92, UInt8(ascii: "r")])
            case 0..<0x20:
                bytes.append(contentsOf: [92, UInt8(ascii: "u"), 48, 48] + Hex.encode([byte]).utf8)
            default: bytes.append(byte)
            }
        }
        bytes.append(UInt8(ascii: "\""))
    }

    mutating func raw(_ text: StaticString) {
        text.withUTF8Buffer { bytes.append(contentsOf: $0) }
    }

    /// Whether the object being written has no member yet (so the next needs no comma).
    private var atFirstMember = true

    /// An object: `fields` writes its members with `field`, in sorted key order.
    mutating func object(_ fields: (inout CanonicalJSONWriter) -> Void) {
        let outer = atFirstMember
        atFirstMember = true
        raw("{")
        fields(&self)
        raw("}")
        atFirstMember = outer
    }

    mutating func array<T>(_ items: [T], _ write: (inout CanonicalJSONWriter, T) -> Void) {
        raw("[")
        for (index, item) in items.enumerated() {
            if index > 0 { raw(",") }
            write(&self, item)
        }
        raw("]")
    }

    private mutating func key(_ name: StaticString) {
        if !atFirstMember { raw(",") }
        atFirstMember = false
        raw("\"")
        raw(name)
        raw("\":")
    }

    mutating func field(_ name: StaticString, _ value: String) { key(name); string(value) }
    mutating func field(_ name: StaticString, _ value: String?) { if let value { field(name, value) } }
    mutating func field(_ name: StaticString, _ value: Bool) { key(name); raw(value ? "true" : "false") }
    mutating func field(_ name: StaticString, _ value: Int64) { key(name); bytes.append(contentsOf: String(value).utf8) }
    mutating func field(_ name: StaticString, _ value: Int) { field(name, Int64(value)) }
    mutating func field(_ name: StaticString, _ value: [String]) { key(name); array(value) { $0.string($1) } }
    mutating func field<T: CanonicalJSONRepresentable>(_ name: StaticString, _ value: T?) {
        if let value { key(name); value.write(to: &self) }
    }
    mutating func field<T: CanonicalJSONRepresentable>(_ name: StaticString, _ value: [T]) {
        key(name); array(value) { json, element in element.write(to: &json) }
    }
}

/// A type whose canonical JSON is written by hand.
public protocol CanonicalJSONRepresentable {
    func write(to json: inout CanonicalJSONWriter)
}

extension Canonical {
    public static func json(_ value: some CanonicalJSONRepresentable) -> Data {
        var writer = CanonicalJSONWriter()
        value.write(to: &writer)
        return Data(writer.bytes)
    }
}

extension ConsentEvidence: CanonicalJSONRepresentable {
    public func write(to json: inout CanonicalJSONWriter) {
        json.object { object in
            object.field("denied", denied)
            object.field("event", event.rawValue)
            object.field("gpc", gpc)
            // Absent rather than null when not known, so records made before the field keep their hashes.
            if let gpp { object.field("gpp", gpp) }
            object.field("granted", granted)
            object.field("idempotencyKeyDigest", idempotencyKeyDigest)
            if let jurisdiction { object.field("jurisdiction", jurisdiction) }
            object.field("method", method.rawValue)
            object.field("notice", notice)
            object.field("occurredAt", occurredAt)
            object.field("personalDigest", personalDigest)
            object.field("policies", policies)
            object.field("previousHash", previousHash)
            object.field("recordId", recordId)
            object.field("schemaVersion", schemaVersion)
            object.field("sequence", sequence)
            object.field("validUntil", validUntil)
        }
    }
}

extension GPCSignal: CanonicalJSONRepresentable {
    public func write(to json: inout CanonicalJSONWriter) {
        json.object { object in
            object.field("honoured", honoured)
            object.field("sent", sent)
        }
    }
}

extension Jurisdiction: CanonicalJSONRepresentable {
    public func write(to json: inout CanonicalJSONWriter) {
        json.object { object in
            object.field("mode", mode.rawValue)
            if let region { object.field("region", region) }
        }
    }
}

extension NoticeReference: CanonicalJSONRepresentable {
    public func write(to json: inout CanonicalJSONWriter) {
        json.object { object in
            object.field("locale", locale)
            object.field("version", version)
        }
    }
}

extension PolicyReference: CanonicalJSONRepresentable {
    public func write(to json: inout CanonicalJSONWriter) {
        json.object { object in
            object.field("id", id)
            if let locale { object.field("locale", locale) }
            object.field("sha256", sha256)
            object.field("version", version)
        }
    }
}

extension PersonalFields: CanonicalJSONRepresentable {
    public func write(to json: inout CanonicalJSONWriter) {
        json.object { object in
            object.field("accountHash", accountHash)
            object.field("browser", browser)
            object.field("ipToken", ipToken)
            object.field("pagePath", pagePath)
            object.field("salt", salt)
            object.field("subject", subject)
        }
    }
}

extension Receipt: CanonicalJSONRepresentable {
    public func write(to json: inout CanonicalJSONWriter) {
        json.object { object in
            object.field("entryHash", entryHash)
            object.field("keyId", keyId)
            object.field("receiptId", receiptId)
            object.field("recordedAt", recordedAt)
            if let sequence { object.field("sequence", sequence) }
            object.field("signature", signature)
        }
    }
}

extension Checkpoint: CanonicalJSONRepresentable {
    public func write(to json: inout CanonicalJSONWriter) {
        json.object { object in
            object.field("headHash", headHash)
            object.field("keyId", keyId)
            object.field("sequence", sequence)
            object.field("signature", signature)
            object.field("time", time)
        }
    }
}

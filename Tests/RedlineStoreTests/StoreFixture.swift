import Foundation
import GRDB
import RedlineConsent
import RedlineNotices
import RedlineStores
import RedlineTestSupport
import Synchronization
import Testing

/// The stores every test here runs against: the same assertions hold for both.
enum StoreKind: String, CaseIterable, Sendable, CustomTestStringConvertible {
    case sqlite, postgres
    var testDescription: String { rawValue }
}

/// A fresh, empty database of one kind (a SQLite file in a temporary folder, or a database of
/// its own in the test cluster), with raw SQL access for tests that look at or tamper with rows.
final class StoreFixture: Sendable {
    let kind: StoreKind
    let directory: TemporaryDirectory
    /// What `--db` would be: the file path or the URL.
    let db: String
    private let databaseName: String?

    init(_ kind: StoreKind, label: String = "redline-store") throws {
        self.kind = kind
        directory = TemporaryDirectory(label)
        switch kind {
        case .sqlite:
            db = directory.subpath("data/redline.sqlite")
            databaseName = nil
        case .postgres:
            db = try PostgresCluster.shared.get().makeDatabase()
            databaseName = URLComponents(string: db)?.path.split(separator: "/").last.map(String.init)
        }
    }

    var keyPath: String { directory.subpath("keys/receipt-key") }

    /// PostgreSQL tests that hold pools at once: dozens of them on a busy 2-core machine starve
    /// the one cluster they share, and the stores' deadlines then fire on a healthy database.
    private static let postgresSlots = TestSlots(4)
    private let holdsSlot = Mutex(false)

    /// No deadline a loaded machine could miss decides a test: the stores' timeouts are for a
    /// database that is gone, which these tests only bring about on purpose.
    static let patientTimeouts = DatabaseTimeouts(connect: .seconds(300), operation: .seconds(600))

    func open() async throws -> StoreDatabase {
        if kind == .postgres, !holdsSlot.withLock({ $0 }) {
            await Self.postgresSlots.acquire()
            holdsSlot.withLock { $0 = true }
        }
        return try await StoreDatabase.open(db, timeouts: Self.patientTimeouts)
    }

    deinit {
        if holdsSlot.withLock({ $0 }) { Self.postgresSlots.release() }
    }

    /// A consent store with the receipt key at `keyPath` (made on first use), and the key.
    func consent() async throws -> (any ConsentStore, ReceiptSigner, StoreDatabase) {
        let signer = try ReceiptSigner.loadOrCreate(at: keyPath)
        let database = try await open()
        return (database.consentStore(signer: signer), signer, database)
    }

    func notices() async throws -> (any NoticeStore, StoreDatabase) {
        let database = try await open()
        return (database.noticeStore(bcryptCost: 4), database)
    }

    /// Runs SQL the stores never would, as someone with access to the database could.
    func execute(_ sql: String) async throws {
        switch kind {
        case .sqlite:
            try await DatabaseQueue(path: db).write { try $0.execute(sql: sql) }
        case .postgres:
            try PostgresCluster.shared.get().psql(database: databaseName!, sql)
        }
    }

    /// The rows of a query, each column as text (NULL columns left out).
    func rows(_ sql: String) async throws -> [[String: String]] {
        switch kind {
        case .sqlite:
            return try await DatabaseQueue(path: db).read { db in
                try Row.fetchAll(db, sql: sql).map { row in
                    var values: [String: String] = [:]
                    for column in row.columnNames {
                        switch (row[column] as DatabaseValue).storage {
                        case .null: break
                        case let .int64(value): values[column] = String(value)
                        case let .double(value): values[column] = String(value)
                        case let .string(value): values[column] = value
                        case let .blob(value): values[column] = value.base64EncodedString()
                        }
                    }
                    return values
                }
            }
        case .postgres:
            return try PostgresCluster.shared.get().psql(database: databaseName!, "SELECT row_to_json(t) FROM (\(sql)) t").map { line in
                let object = try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any] ?? [:]
                return object.compactMapValues { value in value is NSNull ? nil : "\(value)" }
            }
        }
    }
}

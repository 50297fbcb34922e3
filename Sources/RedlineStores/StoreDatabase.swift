import Foundation
import GRDB
import Logging
import RedlineConsent
import RedlineNotices
import RedlinePostgres

/// The database `--db` names: a SQLite file (the default, for one server) or a PostgreSQL
/// URL (for several servers on one database). Both hold the consent records and the notice
/// side, and each gives the stores of its kind.
public enum StoreDatabase: Sendable {
    case sqlite(DatabasePool, path: String)
    case postgres(PostgresDatabase)

    /// Whether `db` names a PostgreSQL database rather than a SQLite file.
    public static func isURL(_ db: String) -> Bool { PostgresLocation.isURL(db) }

    /// What redline serve names its local files (keys, checkpoints, secret) after: the SQLite
    /// file, or `data/redline` with PostgreSQL, whose database is elsewhere.
    public static func localFileBase(_ db: String) -> String { isURL(db) ? "data/redline" : db }

    /// `db` as it may be printed or logged: a URL's password masked.
    public static func redacting(_ db: String) -> String { isURL(db) ? PostgresLocation.redacting(db) : db }

    /// Opens and migrates the database. A PostgreSQL URL that cannot be reached, logged into
    /// or trusted with commits fails here, with one line that never holds the password.
    public static func open(_ db: String, logger: Logger = PostgresDatabase.quietLogger,
                            timeouts: DatabaseTimeouts = .standard) async throws -> StoreDatabase {
        if PostgresLocation.isURL(db) {
            return .postgres(try await StoreOpenError.wrapping {
                try await PostgresDatabase.open(try PostgresLocation(url: db), logger: logger, timeouts: timeouts)
            })
        }
        return .sqlite(try RedlineDatabase.open(path: db), path: db)
    }

    /// The stored consent rows of `db`, opened only to be read: a SQLite file read-only (see
    /// `EvidenceFile`), a PostgreSQL database without migrating it. Nothing is created or written.
    public static func readEvidence(_ db: String, timeouts: DatabaseTimeouts = .standard) async throws -> [EvidenceFile.Row] {
        guard isURL(db) else { return try EvidenceFile(path: db).rows() }
        let database = try await StoreOpenError.wrapping {
            try await PostgresDatabase.open(try PostgresLocation(url: db), migrate: false, timeouts: timeouts)
        }
        defer { Task { await database.close() } }
        // Reading needs no key: the store only signs when it appends.
        return try await PostgresConsentStore(database: database, signer: ReceiptSigner(key: .init())).allStoredRows()
    }

    /// Each record's sequence, receipt id and evidence JSON in chain order, a page at a time, read-only.
    public static func forEachLeaf(_ db: String, timeouts: DatabaseTimeouts = .standard, _ body: (Int64, String, String) throws -> Void) async throws {
        guard isURL(db) else { return try EvidenceFile(path: db).forEachLeaf(body) }
        let database = try await StoreOpenError.wrapping {
            try await PostgresDatabase.open(try PostgresLocation(url: db), migrate: false, timeouts: timeouts)
        }
        defer { Task { await database.close() } }
        let store = PostgresConsentStore(database: database, signer: ReceiptSigner(key: .init()))
        var after: Int64 = 0
        while true {
            let page = try await store.storedRows(after: after, limit: 10_000)
            for row in page { try body(row.sequence, row.recordId, row.evidenceJSON) }
            guard page.count == 10_000, let last = page.last else { return }
            after = last.sequence
        }
    }

    public func consentStore(signer: ReceiptSigner) -> any ConsentStore {
        switch self {
        case let .sqlite(pool, _): return SQLiteConsentStore(database: pool, signer: signer)
        case let .postgres(database): return PostgresConsentStore(database: database, signer: signer)
        }
    }

    public func impressionStore() -> any ImpressionStore {
        switch self {
        case let .sqlite(pool, _): return SQLiteImpressionStore(database: pool)
        case let .postgres(database): return PostgresImpressionStore(database: database)
        }
    }

    /// The impression counters of `db` from day `from` to day `to`, opened only to be read, as
    /// ``readEvidence(_:timeouts:)`` opens the records; none in a store from before they were counted.
    public static func readImpressions(_ db: String, from: String, to: String,
                                       timeouts: DatabaseTimeouts = .standard) async throws -> [ImpressionCount] {
        guard isURL(db) else { return try SQLiteImpressionStore.read(path: db, from: from, to: to) }
        let database = try await StoreOpenError.wrapping {
            try await PostgresDatabase.open(try PostgresLocation(url: db), migrate: false, timeouts: timeouts)
        }
        defer { Task { await database.close() } }
        return try await PostgresImpressionStore.read(database, from: from, to: to)
    }

    public func feedbackStore() -> any FeedbackStore {
        switch self {
        case let .sqlite(pool, _): return SQLiteFeedbackStore(database: pool)
        case let .postgres(database): return PostgresFeedbackStore(database: database)
        }
    }

    public func noticeStore(bcryptCost: UInt8 = 12) -> any NoticeStore {
        switch self {
        case let .sqlite(pool, _): return SQLiteNoticeStore(database: pool, bcryptCost: bcryptCost)
        case let .postgres(database): return PostgresNoticeStore(database: database, bcryptCost: bcryptCost)
        }
    }

    /// Where it is, safe to print: the file path, or the URL without its password.
    public var description: String {
        switch self {
        case let .sqlite(_, path): return path
        case let .postgres(database): return database.location.description
        }
    }

    /// The local file, when there is one (so that the server can refuse to serve it).
    public var filePath: String? {
        if case let .sqlite(_, path) = self { return path }
        return nil
    }

    public func close() async {
        switch self {
        case let .sqlite(pool, _): try? pool.close()
        case let .postgres(database): await database.close()
        }
    }
}

/// A PostgreSQL database that cannot be used: unreachable, the login refused, not durable, or
/// not a Redline store. One line, never the password.
public struct StoreOpenError: Error, CustomStringConvertible {
    public let description: String

    static func wrapping<Value>(_ body: () async throws -> Value) async throws -> Value {
        do {
            return try await body()
        } catch let error as PostgresDatabase.OpenError {
            throw StoreOpenError(description: error.description)
        } catch let error as PostgresLocation.ParseError {
            throw StoreOpenError(description: error.description)
        }
    }
}

import Foundation
import GRDB
import RedlineConsent
import RedlineNotices
#if canImport(Glibc)
import Glibc
#endif

/// The one SQLite database of `redline serve`: consent records, API keys, users, campaigns
/// and the outbox, each store owning its tables. WAL through a `DatabasePool`,
/// `synchronous=FULL` so that an acknowledged write survives a power cut, owner-only files,
/// and named, append-only migrations applied in the order registered here.
/// (The SQLite side of `StoreDatabase`.)
public enum RedlineDatabase {
    public static func open(path: String) throws -> DatabasePool {
        do {
            try FileManager.default.createPrivateParentDirectory(of: path)
        } catch let error as FolderError {
            throw DatabaseOpenError(path: path, reason: error.description)
        }
        try createOwnerOnly(path)
        // GRDB sets `synchronous=NORMAL` when it turns WAL on, after `prepareDatabase` has run:
        // NORMAL skips the fsync at commit, so a power cut could lose acknowledged consents.
        // FULL is set again on the one writer connection once the pool is open, and checked.
        var configuration = Configuration()
        // The CLI (users import, notify approve, keys) writes while redline serve runs: wait for
        // the other's transaction instead of failing at once with "database is locked".
        configuration.busyMode = .timeout(10)
        let database = try DatabasePool(path: path, configuration: configuration)
        try database.writeWithoutTransaction { try $0.execute(sql: "PRAGMA synchronous = FULL") }
        let level = try synchronousLevel(database)
        guard level == 2 else { throw DurabilityError(path: path, level: level) }
        try migrator.migrate(database)
        return database
    }

    /// The `PRAGMA synchronous` level of the writer connection: 2 (FULL) on every database `open` returns.
    public static func synchronousLevel(_ database: DatabasePool) throws -> Int {
        try database.writeWithoutTransaction { try Int.fetchOne($0, sql: "PRAGMA synchronous") ?? -1 }
    }

    /// Creates the database file readable by its owner only. SQLite gives the `-wal` and `-shm`
    /// files it creates later the same permissions as the database.
    private static func createOwnerOnly(_ path: String) throws {
        let descriptor = Glibc.open(path, O_CREAT | O_RDWR | O_CLOEXEC, 0o600)
        guard descriptor >= 0 else { throw DatabaseOpenError(path: path, reason: String(cString: strerror(errno))) }
        close(descriptor)
    }

    private static var migrator: DatabaseMigrator {
        var migrator = DatabaseMigrator()
        SQLiteConsentStore.registerMigrations(&migrator)
        SQLiteNoticeStore.registerMigrations(&migrator)
        SQLiteImpressionStore.registerMigrations(&migrator)
        SQLiteFeedbackStore.registerMigrations(&migrator)
        return migrator
    }
}

public struct DatabaseOpenError: Error, CustomStringConvertible {
    let path: String
    let reason: String
    public var description: String { "cannot open the database \(path): \(reason)" }
}

/// The database would not take `synchronous=FULL`: refuse to run rather than acknowledge writes that may not last.
public struct DurabilityError: Error, CustomStringConvertible {
    let path: String
    let level: Int
    public var description: String { "\(path): PRAGMA synchronous reads \(level), not 2 (FULL): refusing to acknowledge writes that may not survive a power cut" }
}


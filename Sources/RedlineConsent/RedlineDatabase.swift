import Foundation
import GRDB

/// The one SQLite database of `redline serve`: consent records, API keys, users, campaigns
/// and the outbox, each store owning its tables. WAL through a `DatabasePool`,
/// `synchronous=FULL` so that an acknowledged write survives a power cut, and named,
/// append-only migrations applied in the order registered here.
public enum RedlineDatabase {
    public static func open(path: String) throws -> DatabasePool {
        try FileManager.default.createParentDirectory(of: path)
        var configuration = Configuration()
        configuration.prepareDatabase { db in
            try db.execute(sql: "PRAGMA synchronous = FULL")
        }
        let database = try DatabasePool(path: path, configuration: configuration)
        try migrator.migrate(database)
        return database
    }

    private static var migrator: DatabaseMigrator {
        var migrator = DatabaseMigrator()
        SQLiteConsentStore.registerMigrations(&migrator)
        SQLiteNoticeStore.registerMigrations(&migrator)
        return migrator
    }
}

extension FileManager {
    /// Creates the folder `path` is in, when it has one (a bare file name is in the current folder).
    public func createParentDirectory(of path: String) throws {
        let directory = (path as NSString).deletingLastPathComponent
        if !directory.isEmpty { try createDirectory(atPath: directory, withIntermediateDirectories: true) }
    }
}

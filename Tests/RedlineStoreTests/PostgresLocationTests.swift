import Foundation
import RedlinePostgres
import RedlineStores
import Testing

/// `--db` URLs as libpq reads them, and the password never shown.
@Suite struct PostgresLocationTests {
    @Test func aFullURLIsReadLikeLibpqAndPrintedWithoutItsPassword() throws {
        let location = try PostgresLocation(url: "postgres://app:s%40cret@db.internal:6543/consent?sslmode=require")
        #expect((location.host, location.port, location.username, location.database) == ("db.internal", 6543, "app", "consent"))
        #expect(location.tlsMode == .require && location.socketFolder == nil)
        #expect(location.description == "postgres://app@db.internal:6543/consent")
        #expect(!location.description.contains("cret"))
    }

    @Test func defaultsAndUnixSockets() throws {
        let plain = try PostgresLocation(url: "postgresql://redline@localhost/redline")
        #expect(plain.port == 5432 && plain.tlsMode == .prefer && plain.database == "redline")
        let socket = try PostgresLocation(url: "postgres://redline@/redline?host=/var/run/postgresql")
        #expect(socket.socketFolder == "/var/run/postgresql")
        #expect(socket.description == "postgres://redline@/var/run/postgresql/.s.PGSQL.5432/redline")
        let noHost = try PostgresLocation(url: "postgres:///consent?user=ops")
        #expect(noHost.socketFolder == "/var/run/postgresql" && noHost.username == "ops" && noHost.database == "consent")
    }

    @Test(arguments: [
        ("postgres://a:pw@h/db?sslmode=sometimes", "sslmode 'sometimes'"),
        ("postgres://a:pw@h:99999/db", "port '99999'"),
        ("postgres://a:pw@h/db?colour=blue", "unknown parameter 'colour'"),
        ("mysql://a:pw@h/db", "is not a postgres:// URL"),
    ])
    func badURLsAreRefusedWithoutShowingThePassword(url: String, reason: String) {
        do {
            _ = try PostgresLocation(url: url)
            Issue.record("\(url) was accepted")
        } catch {
            let message = "\(error)"
            #expect(message.contains(reason), "\(message)")
            #expect(!message.contains(":pw@"), "\(message)")
        }
    }

    @Test func redactingMasksPasswordsInTheUserPartAndInParameters() {
        #expect(StoreDatabase.redacting("postgres://app:hunter2@db/x") == "postgres://app:***@db/x")
        #expect(!StoreDatabase.redacting("postgres://app@db/x?password=hunter2").contains("hunter2"))
        #expect(StoreDatabase.redacting("data/redline.sqlite") == "data/redline.sqlite")
        #expect(StoreDatabase.localFileBase("postgres://db/x") == "data/redline")
        #expect(StoreDatabase.localFileBase("state/consent.sqlite") == "state/consent.sqlite")
    }
}

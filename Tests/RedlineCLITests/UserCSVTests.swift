import Testing
@testable import RedlineCLI

@Suite struct UserCSVTests {
    @Test func goodRowsAreKeptAndBadOnesReportedByLine() {
        let csv = """
            email,userId,locale,subject
            ana@example.com,u1,en-GB,s-1
            not-an-address,u2,en,

            "bo@example.com",u3,de,
            "multi
            line@example.com",u4,en,
            cy@example.com,u1,en,
            dee@example.com,u5,en
            "quoted, with comma"@example.com,u6,en,
            """
        let (users, problems) = UserCSV.parse(csv)
        #expect(users.map(\.userId) == ["u1", "u3"])
        #expect(users.first?.subject == "s-1" && users.last?.subject == nil)
        #expect(problems.map(\.line) == [3, 6, 8, 9, 10])
        #expect(problems[0].message.contains("email"))
        #expect(problems[2].message.contains("line 2"))
        #expect(problems[3].message.contains("3 fields"))
        #expect(problems[4].message.contains("closing quote"))
    }

    @Test func aBadHeaderStopsEverything() {
        #expect(UserCSV.parse("id,mail\nu1,a@example.com\n").problems.map(\.line) == [1, 1, 1, 1, 1])
        #expect(UserCSV.parse("").problems.count == 1)
        #expect(UserCSV.parse("userId,email,locale\n\"u1,a@example.com,en\n").problems.first?.message == "a quoted field is never closed")
        #expect(UserCSV.parse("user\"Id,email,locale\nu1,a@example.com,en\n").problems.map(\.line) == [1])
    }

    @Test func csvQuotingFollowsRFC4180() {
        let (records, failures) = CSVReader.read("a,\"b \"\"x\"\", c\",d\r\ne,,\"\"\r\n")
        #expect(failures.isEmpty)
        #expect(records == [CSVReader.Record(line: 1, fields: ["a", "b \"x\", c", "d"]), CSVReader.Record(line: 2, fields: ["e", "", ""])])
    }
}

@testable import RedlineServer
import RedlineManifest
import Testing

@Suite struct JurisdictionTests {
    @Test func aChangeAsksAgainOnlyWhereTheLawAsks() {
        #expect(ConsentPolicy.FollowUp(reasons: [], mode: .optIn) == .none)
        #expect(ConsentPolicy.FollowUp(reasons: ["material-change"], mode: .optIn) == .ask)
        #expect(ConsentPolicy.FollowUp(reasons: ["material-change"], mode: nil) == .ask, "records from before regions were opt-in")
        #expect(ConsentPolicy.FollowUp(reasons: ["material-change"], mode: .optOut) == .inform)
        #expect(ConsentPolicy.FollowUp(reasons: ["expired"], mode: .notice) == .inform)
    }

    @Test func aGPPStringIsRecognisedByItsHeader() {
        #expect(GPPString.problem("DBABLA~CVQqAAAAAACA.QA") == nil)
        #expect(GPPString.problem("DBAA") == nil)
        #expect(GPPString.problem("CPXxRfAPXxRfAAfKABENB-CgAAAAAAAAAAYgAAAAAAAA") != nil, "a TCF string is not a GPP string")
        #expect(GPPString.problem("DBAB LA") != nil)
        #expect(GPPString.problem(String(repeating: "A", count: GPPString.maxLength + 1)) != nil)
    }
}

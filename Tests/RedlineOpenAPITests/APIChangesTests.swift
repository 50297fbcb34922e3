@testable import RedlineOpenAPI
import Testing

/// One pair of specs for each kind of change: the classifier must find exactly that change.
@Suite struct APIChangesTests {
    static func string(_ values: [String] = []) -> APISchema { APISchema(type: "string", enumValues: values.map { "\"\($0)\"" }) }
    static func object(_ properties: [APIProperty]) -> APISchema { APISchema(type: "object", properties: properties) }
    static func field(_ name: String, _ schema: APISchema, required: Bool = false) -> APIProperty { APIProperty(name: name, required: required, schema: schema) }

    /// `POST /parcels` with a query parameter, a JSON body and a JSON answer.
    static func base(parameter: APIParameter? = APIParameter(name: "mode", location: "query", required: false, schema: string(["fast", "slow"])),
                     request: [APIProperty] = [field("weight", APISchema(type: "integer"), required: true), field("carrier", string(["dpd", "evri"]))],
                     bodyRequired: Bool = false,
                     response: [APIProperty] = [field("id", string(), required: true), field("status", string(["ready", "sent"]), required: true)],
                     status: String = "201", deprecated: Bool = false) -> APISpec {
        let operation = APIOperation(
            method: "POST", path: "/parcels", deprecated: deprecated, parameters: parameter.map { [$0] } ?? [],
            requestBody: APIBody(required: bodyRequired, content: [APIMediaType(type: "application/json", schema: object(request))]),
            responses: [APIResponse(status: status, description: "Created.", content: [APIMediaType(type: "application/json", schema: object(response))])])
        let other = APIOperation(method: "GET", path: "/parcels", responses: [APIResponse(status: "200", description: "OK")])
        return APISpec(title: "T", version: "1", operations: [operation, other])
    }

    static let cases: [(APIChange.Kind, APISpec, APISpec)] = {
        let old = base()
        var withoutGet = old
        withoutGet.operations.removeLast()
        var deprecated = old
        deprecated.operations[0].deprecated = true
        return [
            (.operationRemoved, old, withoutGet),
            (.operationAdded, withoutGet, old),
            (.operationDeprecated, old, deprecated),
            (.parameterAdded, base(parameter: nil), old),
            (.requiredParameterAdded, base(parameter: nil), base(parameter: APIParameter(name: "mode", location: "query", required: true, schema: string(["fast", "slow"])))),
            (.parameterRemoved, old, base(parameter: nil)),
            (.parameterMadeRequired, old, base(parameter: APIParameter(name: "mode", location: "query", required: true, schema: string(["fast", "slow"])))),
            (.parameterMadeOptional, base(parameter: APIParameter(name: "mode", location: "query", required: true, schema: string(["fast", "slow"]))), old),
            (.parameterTypeChanged, old, base(parameter: APIParameter(name: "mode", location: "query", required: false, schema: APISchema(type: "integer")))),
            (.parameterEnumNarrowed, old, base(parameter: APIParameter(name: "mode", location: "query", required: false, schema: string(["fast"])))),
            (.parameterEnumWidened, old, base(parameter: APIParameter(name: "mode", location: "query", required: false, schema: string(["fast", "slow", "eco"])))),
            (.requestBodyMadeRequired, old, base(bodyRequired: true)),
            (.requestFieldAdded, old, base(request: old.operations[0].requestFields + [field("note", string())])),
            (.requiredRequestFieldAdded, old, base(request: old.operations[0].requestFields + [field("note", string(), required: true)])),
            (.requestFieldRemoved, old, base(request: [field("weight", APISchema(type: "integer"), required: true)])),
            (.requestFieldMadeRequired, old, base(request: [field("weight", APISchema(type: "integer"), required: true), field("carrier", string(["dpd", "evri"]), required: true)])),
            (.requestFieldMadeOptional, old, base(request: [field("weight", APISchema(type: "integer")), field("carrier", string(["dpd", "evri"]))])),
            (.requestFieldTypeChanged, old, base(request: [field("weight", APISchema(type: "number"), required: true), field("carrier", string(["dpd", "evri"]))])),
            (.requestEnumNarrowed, old, base(request: [field("weight", APISchema(type: "integer"), required: true), field("carrier", string(["dpd"]))])),
            (.requestEnumWidened, old, base(request: [field("weight", APISchema(type: "integer"), required: true), field("carrier", string(["dpd", "evri", "ups"]))])),
            (.responseFieldAdded, old, base(response: old.operations[0].responseFields + [field("label_url", string())])),
            (.responseFieldRemoved, old, base(response: [field("id", string(), required: true)])),
            (.responseFieldMadeOptional, old, base(response: [field("id", string()), field("status", string(["ready", "sent"]), required: true)])),
            (.responseFieldTypeChanged, old, base(response: [field("id", APISchema(type: "integer"), required: true), field("status", string(["ready", "sent"]), required: true)])),
            (.responseEnumNarrowed, old, base(response: [field("id", string(), required: true), field("status", string(["ready"]), required: true)])),
            (.responseEnumWidened, old, base(response: [field("id", string(), required: true), field("status", string(["ready", "sent", "lost"]), required: true)])),
            (.responseRemoved, old, base(status: "202")),
            (.responseAdded, withoutGet, {
                var spec = withoutGet
                spec.operations[0].responses.append(APIResponse(status: "409", description: "Conflict."))
                return spec
            }()),
        ]
    }()

    @Test func everyKindHasAPair() {
        #expect(Set(Self.cases.map(\.0)) == Set(APIChange.Kind.allCases))
    }

    @Test(arguments: cases.map(\.0))
    func eachKindOfChangeIsFoundAndClassified(kind: APIChange.Kind) throws {
        let (_, old, new) = try #require(Self.cases.first { $0.0 == kind })
        let changes = APIChanges.compare(old, new)
        // The pair for "response removed" also adds the new status, which is a change of its own.
        let expected = kind == .responseRemoved ? [kind, .responseAdded] : [kind]
        #expect(changes.map(\.kind) == expected, "\(changes.map(\.summary))")
        #expect(changes.first?.breaking == kind.breaking)
        #expect(APIChanges.compare(new, new).isEmpty && APIChanges.compare(old, old).isEmpty, "a version compared with itself changed")
    }

    @Test func breakingKindsAreTheOnesThatFailOldClients() {
        let breaking = Set(APIChange.Kind.allCases.filter(\.breaking))
        #expect(breaking == [.operationRemoved, .requiredParameterAdded, .parameterRemoved, .parameterMadeRequired, .parameterTypeChanged,
                             .parameterEnumNarrowed, .requestBodyMadeRequired, .requiredRequestFieldAdded, .requestFieldRemoved,
                             .requestFieldMadeRequired, .requestFieldTypeChanged, .requestEnumNarrowed, .responseFieldRemoved,
                             .responseFieldMadeOptional, .responseFieldTypeChanged, .responseEnumWidened, .responseRemoved])
    }

    @Test func fieldsInsideANewOrRetypedFieldAreOneChangeAndNestedPathsAreNamed() {
        let old = Self.base(request: [Self.field("to", Self.object([Self.field("postcode", Self.string(), required: true)]), required: true)])
        let new = Self.base(request: [
            Self.field("to", Self.object([Self.field("postcode", Self.string(), required: true), Self.field("country", Self.string(), required: true)]), required: true),
            Self.field("parcels", APISchema(type: "array", items: [Self.object([Self.field("weight", APISchema(type: "integer"), required: true)])])),
        ])
        let changes = APIChanges.compare(old, new)
        #expect(changes.map(\.summary) == [
            "POST /parcels: required request field added: `to.country`",
            "POST /parcels: request field added: `parcels`",
        ], "parcels[].weight is part of parcels being new")
        let retyped = Self.base(request: [Self.field("to", Self.string(), required: true)])
        #expect(APIChanges.compare(old, retyped).map(\.summary) == ["POST /parcels: request field type changed: `to` (object → string)"])
    }
}

extension APIOperation {
    var requestFields: [APIProperty] { requestBody?.content.first?.schema?.properties ?? [] }
    var responseFields: [APIProperty] { responses.first?.content.first?.schema?.properties ?? [] }
}

import Foundation
@testable import RedlineOpenAPI
import Testing

/// A spec of our own that exercises `$ref`, `oneOf`, enums, arrays of objects and security schemes.
let petStoreSpec = """
openapi: 3.1.0
info: { title: Kennel API, version: "3.2", description: Boarding for pets. }
servers: [{ url: "https://api.kennel.example/v3" }]
tags:
  - { name: Bookings, description: Stays at the kennel. }
  - { name: Unused, description: No operation uses this tag. }
security: [{ apiKey: [] }]
paths:
  /bookings:
    post:
      tags: [Bookings]
      summary: Book a stay
      operationId: createBooking
      security: [{ oauth: [bookings:write] }, { apiKey: [] }]
      parameters:
        - { name: dry_run, in: query, schema: { type: boolean, default: false } }
      requestBody:
        required: true
        content:
          application/json:
            schema: { $ref: "#/components/schemas/NewBooking" }
      responses:
        "201":
          description: Booked.
          content:
            application/json:
              schema: { $ref: "#/components/schemas/Booking" }
  /bookings/{id}:
    get:
      summary: Get a booking
      deprecated: true
      parameters:
        - { name: id, in: path, required: true, schema: { type: string, example: bk_1 } }
      responses:
        "200": { description: The booking. }
components:
  securitySchemes:
    apiKey: { type: apiKey, in: header, name: X-Kennel-Key }
    oauth:
      type: oauth2
      flows: { clientCredentials: { tokenUrl: "https://kennel.example/token", scopes: { "bookings:write": Book stays. } } }
  schemas:
    Pet:
      oneOf:
        - { $ref: "#/components/schemas/Dog" }
        - { $ref: "#/components/schemas/Cat" }
    Dog:
      type: object
      required: [kind, name]
      properties:
        kind: { type: string, enum: [dog] }
        name: { type: string, maxLength: 40 }
        walks_per_day: { type: integer, minimum: 1, maximum: 4 }
    Cat:
      type: object
      required: [kind, name]
      properties:
        kind: { type: string, enum: [cat] }
        name: { type: string }
        indoor: { type: boolean }
    NewBooking:
      type: object
      required: [pets, from, nights]
      properties:
        pets: { type: array, minItems: 1, items: { $ref: "#/components/schemas/Pet" } }
        from: { type: string, format: date }
        nights: { type: integer, minimum: 1 }
        room: { type: string, enum: [standard, suite], default: standard }
    Booking:
      allOf:
        - { $ref: "#/components/schemas/NewBooking" }
        - type: object
          required: [id]
          properties:
            id: { type: string, readOnly: true, example: bk_1 }
"""

@Suite struct APISpecReaderTests {
    @Test func readsOperationsTagsAndSecurityWithEveryRefResolved() throws {
        let spec = try APISpecReader.read(petStoreSpec)
        #expect(spec.title == "Kennel API" && spec.version == "3.2" && spec.servers == ["https://api.kennel.example/v3"])
        #expect(spec.tags.map(\.name) == ["Bookings", "Other"], "unused tags leave no empty page; untagged operations go to Other")
        #expect(spec.operations.map(\.key) == ["POST /bookings", "GET /bookings/{id}"])
        #expect(spec.securitySchemes.map(\.kind) == ["API key in the `X-Kennel-Key` header", "OAuth 2"])

        let book = spec.operations[0]
        #expect(book.operationID == "createBooking" && book.title == "Book a stay")
        #expect(book.security == [[APISecurityUse(scheme: "oauth", scopes: ["bookings:write"])], [APISecurityUse(scheme: "apiKey")]])
        #expect(book.parameters == [APIParameter(name: "dry_run", location: "query", required: false,
                                                 schema: APISchema(type: "boolean", defaultValue: "false"))])
        let body = try #require(book.requestBody?.content.first?.schema)
        #expect(book.requestBody?.required == true && body.name == "NewBooking" && body.type == "object")
        #expect(body.properties.map(\.name) == ["pets", "from", "nights", "room"])
        #expect(body.properties.map(\.required) == [true, true, true, false])

        // An array of a oneOf of two objects, each by $ref.
        let pets = body.properties[0].schema
        #expect(pets.typeText == "array of Pet" && pets.constraints == ["at least 1 items"])
        let pet = try #require(pets.item)
        #expect(pet.type == "oneOf" && pet.variants.map(\.name) == ["Dog", "Cat"])
        let dog = pet.variants[0]
        #expect(dog.properties.map(\.name) == ["kind", "name", "walks_per_day"])
        #expect(dog.properties[0].schema.enumValues == ["\"dog\""])
        #expect(dog.properties[1].schema.constraints == ["at most 40 characters"])
        #expect(dog.properties[2].schema.constraints == ["≥ 1", "≤ 4"])
        #expect(body.properties[3].schema.enumValues == ["\"standard\"", "\"suite\""] && body.properties[3].schema.defaultValue == "\"standard\"")
        #expect(body.properties[1].schema.typeText == "string (date)")

        let response = try #require(book.responses.first?.content.first?.schema)
        #expect(response.type == "allOf" && response.variants.count == 2)
        #expect(response.variants[1].properties.first?.schema.readOnly == true)

        let get = spec.operations[1]
        #expect(get.deprecated && get.tags.isEmpty && get.parameters.first?.required == true)
        #expect(get.security == [[APISecurityUse(scheme: "apiKey")]], "the document's security applies where an operation names none")
    }

    @Test func anOpenAPI30DocumentIsReadToo() throws {
        let spec = try APISpecReader.read("""
        openapi: 3.0.3
        info: { title: Old, version: "1" }
        paths:
          /things:
            get:
              parameters: [{ name: q, in: query, schema: { type: string, nullable: true } }]
              responses: { "200": { description: OK } }
        """)
        #expect(spec.operations.map(\.key) == ["GET /things"])
        #expect(spec.operations[0].parameters[0].schema.nullable)
    }

    @Test func theCurlExampleUsesTheServerTheCredentialsAndABodyOfTheSchema() throws {
        let spec = try APISpecReader.read(petStoreSpec)
        let curl = APIExample.curl(spec.operations[0], in: spec)
        #expect(curl.hasPrefix("curl -X POST 'https://api.kennel.example/v3/bookings' \\\n  -H \"Authorization: Bearer $TOKEN\""), "\(curl)")
        #expect(curl.contains("-H 'Content-Type: application/json'"))
        #expect(curl.contains("\"kind\": \"dog\"") && curl.contains("\"from\": \"2026-01-31\"") && curl.contains("\"room\": \"standard\""), "\(curl)")
        let get = APIExample.curl(spec.operations[1], in: spec)
        #expect(get == "curl -X GET 'https://api.kennel.example/v3/bookings/bk_1' \\\n  -H \"X-Kennel-Key: $API_KEY\"")
    }

    /// Each broken document and the line and words `check` gives.
    @Test(arguments: [
        ("openapi: 3.1.0\ninfo: { title: T, version: \"1\" }\npaths:\n  /a:\n    get:\n      responses:\n        \"200\":\n          description: x\n          content:\n            application/json:\n              schema: { $ref: \"#/components/schemas/Nope\" }\n",
         11, "components/schemas"),
        ("openapi: 3.1.0\ninfo: { title: T, version: \"1\" }\npaths:\n  /a:\n    get:\n      responses: { \"200\": { description: x: y } }\n",
         6, "not valid YAML"),
        ("swagger: \"2.0\"\ninfo: { title: T, version: \"1\" }\n", 1, "Swagger 2.0 is not supported"),
        ("openapi: 4.0.0\ninfo: { title: T, version: \"1\" }\npaths: {}\n", 1, "'openapi: 4.0.0' is not a version Redline reads"),
        ("openapi: 3.1.0\ninfo: { title: T, version: \"1\" }\npaths:\n  /a:\n    get:\n      parameters:\n        - { name: x, in: nowhere, schema: { type: string } }\n      responses: { \"200\": { description: x } }\n",
         7, ""),
        ("openapi: 3.1.0\ninfo: { title: T, version: \"1\" }\npaths:\n  /a/{id}:\n    get:\n      responses: { \"200\": { description: x } }\n",
         5, "GET /a/{id} has {id} in its path but no path parameter 'id'"),
    ] as [(String, Int, String)])
    func aBrokenDocumentIsReportedAtItsLine(text: String, line: Int, words: String) {
        #expect(throws: APISpecProblems.self) { try APISpecReader.read(text) }
        do {
            _ = try APISpecReader.read(text)
        } catch {
            let problem = error.problems[0]
            #expect(problem.line == line, "\(error.problems)")
            #expect(words.isEmpty || problem.message.contains(words), "\(problem.message)")
        }
    }
}

/// The API description served at `/openapi.json` (OpenAPI 3.1). Kept beside the routes it
/// describes; a test checks that every route the server answers is listed here. One JSON text,
/// written in four pieces by area: the consent API and the service routes here, the admin API
/// and the shared components beside this file.
enum OpenAPIDocument {
    static let json = [consentAPI, adminAPI, serviceAPI, components].joined(separator: "\n")

    /// The document's opening and the consent API's paths: recording, reading, exporting and erasing consent.
    static let consentAPI = #"""
{
  "openapi": "3.1.0",
  "info": {
    "title": "Redline consent and notices API",
    "version": "1.0.0",
    "description": "Records consent as evidence tied to the SHA-256 of the exact policy text shown, answers whether a person must consent again, and exports or erases a person's records. Every record is chained by SHA-256 and signed with Ed25519; the public key is at /.well-known/redline-receipt-key.",
    "license": { "name": "Proprietary" }
  },
  "servers": [{ "url": "/" }],
  "paths": {
    "/api/v1/consent": {
      "post": {
        "operationId": "recordConsent",
        "summary": "Record a consent decision",
        "description": "The server stamps the time (UTC), looks up each policy version's sha256 in the site's manifest, reads Sec-GPC and stores the record durably before answering. Categories not granted are recorded as denied; strictly necessary ones are always granted. With Sec-GPC: 1 (or method gpc) categories marked gpc are denied. The same idempotencyKey with the same decision answers 200 with the first receipt and stores nothing.",
        "parameters": [{ "$ref": "#/components/parameters/SecGPC" }],
        "requestBody": {
          "required": true,
          "content": { "application/json": { "schema": { "$ref": "#/components/schemas/ConsentRequest" } } }
        },
        "responses": {
          "201": { "description": "Recorded.", "content": { "application/json": { "schema": { "$ref": "#/components/schemas/Receipt" } } } },
          "200": { "description": "Already recorded with this idempotency key: the first receipt.", "content": { "application/json": { "schema": { "$ref": "#/components/schemas/Receipt" } } } },
          "400": { "$ref": "#/components/responses/Error" },
          "403": { "$ref": "#/components/responses/Error" },
          "409": { "$ref": "#/components/responses/Error" },
          "413": { "$ref": "#/components/responses/Error" },
          "415": { "$ref": "#/components/responses/Error" },
          "422": { "$ref": "#/components/responses/Error" },
          "429": { "$ref": "#/components/responses/RateLimited" },
          "503": { "$ref": "#/components/responses/Error" }
        }
      },
      "options": {
        "operationId": "consentPreflight",
        "summary": "CORS preflight",
        "responses": { "204": { "description": "The origin may call the API." }, "403": { "$ref": "#/components/responses/Error" } }
      }
    },
    "/api/v1/consent/region": {
      "get": {
        "operationId": "getVisitorRegion",
        "summary": "The visitor's region and the mode of consent that applies there",
        "description": "The region comes only from a trusted proxy's region header (X-Visitor-Region unless site.yaml names another); without one the strictest configured mode applies. Never cached.",
        "responses": {
          "200": { "description": "Region and mode.", "content": { "application/json": { "schema": { "$ref": "#/components/schemas/Jurisdiction" } } } },
          "429": { "$ref": "#/components/responses/RateLimited" }
        }
      }
    },
    "/api/v1/consent/{subject}": {
      "get": {
        "operationId": "getConsentState",
        "summary": "The latest decision, and whether to ask again",
        "description": "reconsentRequired is true when a material version of a covered document has taken effect since the versions this decision named (changes lists them), or when the decision has expired. Editorial versions never require it.",
        "parameters": [{ "$ref": "#/components/parameters/Subject" }],
        "responses": {
          "200": { "description": "The latest decision.", "content": { "application/json": { "schema": { "$ref": "#/components/schemas/ConsentState" } } } },
          "404": { "$ref": "#/components/responses/Error" },
          "429": { "$ref": "#/components/responses/RateLimited" }
        }
      }
    },
    "/api/v1/subjects/{subject}/records": {
      "get": {
        "operationId": "exportRecords",
        "summary": "Every record of a subject (data portability)",
        "parameters": [{ "$ref": "#/components/parameters/Subject" }],
        "responses": {
          "200": { "description": "Oldest first.", "content": { "application/json": { "schema": { "$ref": "#/components/schemas/SubjectExport" } } } },
          "404": { "$ref": "#/components/responses/Error" },
          "429": { "$ref": "#/components/responses/RateLimited" }
        }
      }
    },
    "/api/v1/subjects/{subject}": {
      "delete": {
        "operationId": "eraseSubject",
        "summary": "Erase a subject's personal fields",
        "description": "Removes the subject id and every personal field from the subject's records. The evidence (times, categories, policy hashes) and the hash chain stay, and the chain still verifies.",
        "parameters": [{ "$ref": "#/components/parameters/Subject" }],
        "responses": {
          "200": { "description": "Erased.", "content": { "application/json": { "schema": { "$ref": "#/components/schemas/Erasure" } } } },
          "404": { "$ref": "#/components/responses/Error" },
          "429": { "$ref": "#/components/responses/RateLimited" }
        }
      }
    },
"""#

    /// Health, readiness, metrics, the receipt keys, checkpoints and this document; the end of the paths.
    static let serviceAPI = #"""
    "/healthz": {
      "get": {
        "operationId": "health",
        "summary": "Liveness",
        "responses": { "200": { "description": "Serving.", "content": { "application/json": { "schema": { "type": "object", "properties": { "status": { "const": "ok" } }, "required": ["status"] } } } } }
      }
    },
    "/readyz": {
      "get": {
        "operationId": "readiness",
        "summary": "Readiness: the manifest is loaded and the database answers",
        "responses": {
          "200": { "description": "Ready.", "content": { "application/json": { "schema": { "type": "object", "properties": { "status": { "const": "ready" } }, "required": ["status"] } } } },
          "503": { "description": "Not ready; Retry-After says when to ask again.", "content": { "application/json": { "schema": { "type": "object", "properties": { "status": { "const": "unavailable" }, "reason": { "type": "string" } }, "required": ["status"] } } } }
        }
      }
    },
    "/metrics": {
      "get": {
        "operationId": "metrics",
        "summary": "Prometheus metrics (text format 0.0.4)",
        "responses": { "200": { "description": "Metrics.", "content": { "text/plain": { "schema": { "type": "string" } } } } }
      }
    },
    "/.well-known/redline-receipt-key": {
      "get": {
        "operationId": "receiptKey",
        "summary": "The Ed25519 public key that signs receipts",
        "responses": { "200": { "description": "The key.", "content": { "application/json": { "schema": { "$ref": "#/components/schemas/ReceiptKey" } } } } }
      }
    },
    "/.well-known/redline-receipt-keys": {
      "get": {
        "operationId": "receiptKeys",
        "summary": "Every receipt key ever used, with the time it was in use",
        "responses": { "200": { "description": "The keys, oldest first.", "content": { "application/json": { "schema": { "$ref": "#/components/schemas/ReceiptKeyring" } } } } }
      }
    },
    "/api/v1/consent/checkpoint": {
      "get": {
        "operationId": "checkpoint",
        "summary": "The newest signed checkpoint of the consent chain",
        "description": "Keep copies elsewhere: `redline consent verify --checkpoints FILE` fails when the chain ends before a checkpoint or differs from what it saw.",
        "responses": {
          "200": { "description": "The checkpoint.", "content": { "application/json": { "schema": { "$ref": "#/components/schemas/Checkpoint" } } } },
          "404": { "$ref": "#/components/responses/Error" }
        }
      }
    },
    "/api/v1/log/checkpoint": {
      "get": {
        "operationId": "logCheckpoint",
        "summary": "The newest C2SP tlog-checkpoint of the consent log, with its witnesses' cosignatures",
        "description": "A signed note (c2sp.org/signed-note): origin, tree size and root hash of the RFC 6962 Merkle tree whose leaves are the records' evidence JSON, signed with the receipt key under the origin's name.",
        "responses": {
          "200": { "description": "The checkpoint.", "content": { "text/plain": { "schema": { "type": "string" } } } },
          "404": { "$ref": "#/components/responses/Error" }
        }
      }
    },
    "/api/v1/log/key": {
      "get": {
        "operationId": "logKey",
        "summary": "The verifier key (C2SP vkey) of the log's checkpoints",
        "responses": {
          "200": { "description": "name+keyID+base64 key.", "content": { "text/plain": { "schema": { "type": "string" } } } }
        }
      }
    },
    "/api/v1/log/consistency": {
      "get": {
        "operationId": "logConsistency",
        "summary": "The RFC 6962 consistency proof between two tree sizes",
        "parameters": [
          { "name": "old", "in": "query", "required": true, "schema": { "type": "integer", "minimum": 0 } },
          { "name": "size", "in": "query", "required": true, "schema": { "type": "integer", "minimum": 0 } }
        ],
        "responses": {
          "200": { "description": "One base64 SHA-256 hash a line.", "content": { "text/plain": { "schema": { "type": "string" } } } },
          "400": { "$ref": "#/components/responses/Error" },
          "404": { "$ref": "#/components/responses/Error" }
        }
      }
    },
    "/api/v1/consent/receipts/{receiptId}/proof": {
      "get": {
        "operationId": "receiptProof",
        "summary": "A record's C2SP tlog-proof: the record, its inclusion path and the checkpoint it leads to",
        "description": "Verifies with nothing else: redline consent verify --receipt FILE --public-key VKEY, or scripts/verify-receipt.py. 404 until a checkpoint covers the record.",
        "parameters": [ { "name": "receiptId", "in": "path", "required": true, "schema": { "type": "string" } } ],
        "responses": {
          "200": { "description": "The proof.", "content": { "text/plain": { "schema": { "type": "string" } } } },
          "404": { "$ref": "#/components/responses/Error" }
        }
      }
    },
    "/openapi.json": {
      "get": {
        "operationId": "openapi",
        "summary": "This document",
        "responses": { "200": { "description": "OpenAPI 3.1.", "content": { "application/json": { "schema": { "type": "object" } } } } }
      }
    }
  },
"""#
}

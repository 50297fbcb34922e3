/// The API description served at `/openapi.json` (OpenAPI 3.1). Kept beside the routes it
/// describes; a test checks that every route the server answers is listed here.
enum OpenAPIDocument {
    static let json = #"""
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
    "/api/v1/admin/users/{userId}": {
      "parameters": [{ "$ref": "#/components/parameters/UserId" }],
      "put": {
        "operationId": "putUser",
        "summary": "Register or update a user who receives change notices",
        "security": [{ "adminKey": [] }],
        "requestBody": { "required": true, "content": { "application/json": { "schema": { "$ref": "#/components/schemas/UserRequest" } } } },
        "responses": {
          "201": { "description": "Created.", "content": { "application/json": { "schema": { "$ref": "#/components/schemas/User" } } } },
          "200": { "description": "Updated.", "content": { "application/json": { "schema": { "$ref": "#/components/schemas/User" } } } },
          "400": { "$ref": "#/components/responses/Error" },
          "401": { "$ref": "#/components/responses/Error" },
          "422": { "$ref": "#/components/responses/Error" }
        }
      },
      "get": {
        "operationId": "getUser",
        "summary": "Read a user",
        "security": [{ "adminKey": [] }],
        "responses": {
          "200": { "description": "The user.", "content": { "application/json": { "schema": { "$ref": "#/components/schemas/User" } } } },
          "401": { "$ref": "#/components/responses/Error" },
          "404": { "$ref": "#/components/responses/Error" }
        }
      },
      "delete": {
        "operationId": "deleteUser",
        "summary": "Delete a user: the address is erased and no further notice is sent",
        "security": [{ "adminKey": [] }],
        "responses": {
          "204": { "description": "Deleted." },
          "401": { "$ref": "#/components/responses/Error" },
          "404": { "$ref": "#/components/responses/Error" }
        }
      }
    },
    "/api/v1/admin/campaigns": {
      "post": {
        "operationId": "createCampaign",
        "summary": "Announce a material version to every active user",
        "description": "Creates one outbox row per active user in one transaction. Asking again for the same version adds nothing and answers 200. A document's first version and editorial versions answer 422 and nothing is sent.",
        "security": [{ "adminKey": [] }],
        "requestBody": { "required": true, "content": { "application/json": { "schema": {
          "type": "object", "required": ["document", "version"], "additionalProperties": false,
          "properties": { "document": { "type": "string" }, "version": { "type": "string", "format": "date" } } } } } },
        "responses": {
          "201": { "description": "Created.", "content": { "application/json": { "schema": { "$ref": "#/components/schemas/Campaign" } } } },
          "200": { "description": "It existed already; nothing was added.", "content": { "application/json": { "schema": { "$ref": "#/components/schemas/Campaign" } } } },
          "401": { "$ref": "#/components/responses/Error" },
          "422": { "$ref": "#/components/responses/Error" }
        }
      },
      "get": {
        "operationId": "listCampaigns",
        "summary": "Every campaign with its delivery counts",
        "security": [{ "adminKey": [] }],
        "responses": {
          "200": { "description": "Campaigns, oldest first.", "content": { "application/json": { "schema": {
            "type": "object", "required": ["campaigns"], "properties": { "campaigns": { "type": "array", "items": { "$ref": "#/components/schemas/Campaign" } } } } } } },
          "401": { "$ref": "#/components/responses/Error" }
        }
      }
    },
    "/api/v1/admin/campaigns/{id}/approve": {
      "post": {
        "operationId": "approveCampaign", "summary": "Let a pending campaign send, now or from sendAt", "security": [{ "adminKey": [] }],
        "parameters": [{ "name": "id", "in": "path", "required": true, "schema": { "type": "integer" } }],
        "requestBody": { "required": false, "content": { "application/json": { "schema": { "type": "object", "properties": { "sendAt": { "type": "string", "format": "date-time" } }, "additionalProperties": false } } } },
        "responses": {
          "200": { "description": "Approved.", "content": { "application/json": { "schema": { "$ref": "#/components/schemas/Campaign" } } } },
          "401": { "$ref": "#/components/responses/Error" }, "404": { "$ref": "#/components/responses/Error" },
          "409": { "$ref": "#/components/responses/Error" }, "422": { "$ref": "#/components/responses/Error" }
        }
      }
    },
    "/api/v1/admin/campaigns/{id}/cancel": {
      "post": {
        "operationId": "cancelCampaign", "summary": "Stop a campaign; sent messages stay recorded", "security": [{ "adminKey": [] }],
        "parameters": [{ "name": "id", "in": "path", "required": true, "schema": { "type": "integer" } }],
        "responses": {
          "200": { "description": "Cancelled.", "content": { "application/json": { "schema": { "$ref": "#/components/schemas/Campaign" } } } },
          "401": { "$ref": "#/components/responses/Error" }, "404": { "$ref": "#/components/responses/Error" }
        }
      }
    },
    "/api/v1/admin/campaigns/{id}/test": {
      "post": {
        "operationId": "testCampaign", "summary": "Send one reviewer the message a recipient would get, marked as a test", "security": [{ "adminKey": [] }],
        "parameters": [{ "name": "id", "in": "path", "required": true, "schema": { "type": "integer" } }],
        "requestBody": { "required": true, "content": { "application/json": { "schema": { "type": "object", "required": ["to"], "properties": { "to": { "type": "string", "format": "email" }, "locale": { "type": "string" } }, "additionalProperties": false } } } },
        "responses": {
          "200": { "description": "Sent.", "content": { "application/json": { "schema": { "type": "object", "properties": { "campaign": { "type": "integer" }, "messageId": { "type": "string" } } } } } },
          "401": { "$ref": "#/components/responses/Error" }, "404": { "$ref": "#/components/responses/Error" },
          "422": { "$ref": "#/components/responses/Error" }, "502": { "$ref": "#/components/responses/Error" }
        }
      }
    },
    "/api/v1/admin/users": {
      "get": {
        "operationId": "listUsers", "summary": "Active users, in the order they were registered", "security": [{ "adminKey": [] }],
        "parameters": [{ "name": "limit", "in": "query", "schema": { "type": "integer", "minimum": 1, "maximum": 1000, "default": 100 } },
                       { "name": "after", "in": "query", "schema": { "type": "string" } }],
        "responses": {
          "200": { "description": "A page of users.", "content": { "application/json": { "schema": { "type": "object", "properties": { "users": { "type": "array", "items": { "type": "object" } }, "count": { "type": "integer" }, "next": { "type": "string" } } } } } },
          "401": { "$ref": "#/components/responses/Error" }, "422": { "$ref": "#/components/responses/Error" }
        }
      }
    },
    "/api/v1/admin/consent/stats": {
      "get": {
        "operationId": "consentStats", "summary": "Consents of a period: by day and method, category acceptance rates, GPC share", "security": [{ "adminKey": [] }],
        "parameters": [{ "name": "from", "in": "query", "description": "First day (UTC), included; default 29 days before 'to'.", "schema": { "type": "string", "format": "date" } },
                       { "name": "to", "in": "query", "description": "Last day (UTC), included; default today.", "schema": { "type": "string", "format": "date" } }],
        "responses": {
          "200": { "description": "The counts.", "content": { "application/json": { "schema": { "type": "object", "required": ["from", "to", "total", "byMethod", "byEvent", "byDay", "categories", "gpc"], "properties": { "from": { "type": "string", "format": "date" }, "to": { "type": "string", "format": "date" }, "total": { "type": "integer" }, "byMethod": { "type": "object", "additionalProperties": { "type": "integer" } }, "byEvent": { "type": "object", "additionalProperties": { "type": "integer" } }, "byDay": { "type": "array", "items": { "type": "object", "properties": { "day": { "type": "string", "format": "date" }, "total": { "type": "integer" }, "byMethod": { "type": "object", "additionalProperties": { "type": "integer" } } } } }, "categories": { "type": "object", "additionalProperties": { "type": "object", "properties": { "granted": { "type": "integer" }, "denied": { "type": "integer" }, "acceptanceRate": { "type": "number" } } } }, "gpc": { "type": "object", "properties": { "sent": { "type": "integer" }, "honoured": { "type": "integer" }, "share": { "type": "number" } } } } } } } },
          "401": { "$ref": "#/components/responses/Error" }, "422": { "$ref": "#/components/responses/Error" }
        }
      }
    },
    "/api/v1/admin/campaigns/{id}": {
      "get": {
        "operationId": "getCampaign",
        "summary": "How far a campaign's delivery has got",
        "security": [{ "adminKey": [] }],
        "parameters": [{ "name": "id", "in": "path", "required": true, "schema": { "type": "integer" } }],
        "responses": {
          "200": { "description": "The campaign.", "content": { "application/json": { "schema": { "$ref": "#/components/schemas/Campaign" } } } },
          "401": { "$ref": "#/components/responses/Error" },
          "404": { "$ref": "#/components/responses/Error" }
        }
      }
    },
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
    "/openapi.json": {
      "get": {
        "operationId": "openapi",
        "summary": "This document",
        "responses": { "200": { "description": "OpenAPI 3.1.", "content": { "application/json": { "schema": { "type": "object" } } } } }
      }
    }
  },
  "components": {
    "securitySchemes": {
      "adminKey": { "type": "http", "scheme": "bearer", "description": "A key from `redline keys create`." }
    },
    "parameters": {
      "UserId": {
        "name": "userId", "in": "path", "required": true,
        "description": "The operator's own id for the user.",
        "schema": { "type": "string", "maxLength": 128, "pattern": "^[A-Za-z0-9._:-]+$" }
      },
      "Subject": {
        "name": "subject", "in": "path", "required": true,
        "description": "The random id the banner keeps in its first-party cookie, or an operator's keyed hash of an account id.",
        "schema": { "type": "string", "maxLength": 128, "pattern": "^[A-Za-z0-9._:-]+$" }
      },
      "SecGPC": {
        "name": "Sec-GPC", "in": "header", "required": false,
        "description": "Global Privacy Control; 1 denies the categories marked gpc.",
        "schema": { "type": "string", "enum": ["1"] }
      }
    },
    "responses": {
      "Error": {
        "description": "The request was refused; nothing was recorded.",
        "content": { "application/json": { "schema": { "$ref": "#/components/schemas/Error" } } }
      },
      "RateLimited": {
        "description": "Too many requests from this client.",
        "headers": { "Retry-After": { "description": "Seconds to wait.", "schema": { "type": "integer", "minimum": 1 } } },
        "content": { "application/json": { "schema": { "$ref": "#/components/schemas/Error" } } }
      }
    },
    "schemas": {
      "UserRequest": {
        "type": "object", "required": ["email", "locale"], "additionalProperties": false,
        "properties": {
          "email": { "type": "string", "format": "email", "maxLength": 254 },
          "locale": { "type": "string", "maxLength": 35, "examples": ["en-GB"] },
          "subject": { "type": ["string", "null"], "maxLength": 128, "description": "Links the user to their consent records." }
        }
      },
      "User": {
        "type": "object", "required": ["userId", "email", "locale", "createdAt", "updatedAt"],
        "properties": {
          "userId": { "type": "string" }, "email": { "type": "string" }, "locale": { "type": "string" },
          "subject": { "type": ["string", "null"] }, "createdAt": { "type": "string", "format": "date-time" },
          "updatedAt": { "type": "string", "format": "date-time" }
        }
      },
      "Campaign": {
        "type": "object",
        "required": ["id", "document", "version", "trigger", "state", "createdAt", "recipients", "queued", "sending", "sent", "failed", "cancelled"],
        "properties": {
          "id": { "type": "integer" }, "document": { "type": "string" }, "version": { "type": "string" },
          "trigger": { "enum": ["published", "manual", "upcoming-at-first-start"] },
          "state": { "enum": ["pending", "approved", "cancelled"], "description": "Nothing is sent while pending." },
          "createdAt": { "type": "string", "format": "date-time" },
          "approvedAt": { "type": "string", "format": "date-time" }, "approvedBy": { "type": "string" },
          "sendAfter": { "type": "string", "format": "date-time" }, "cancelledAt": { "type": "string", "format": "date-time" },
          "recipients": { "type": "integer" }, "queued": { "type": "integer" }, "sending": { "type": "integer" },
          "sent": { "type": "integer" }, "failed": { "type": "integer" },
          "cancelled": { "type": "integer", "description": "Users deleted before their message was sent." }
        }
      },
      "ConsentRequest": {
        "type": "object",
        "required": ["subject", "granted", "denied", "method", "policies"],
        "properties": {
          "subject": { "type": "string", "maxLength": 128, "pattern": "^[A-Za-z0-9._:-]+$" },
          "granted": { "type": "array", "items": { "type": "string" }, "description": "Category ids from site.yaml." },
          "denied": { "type": "array", "items": { "type": "string" } },
          "method": { "type": "string", "enum": ["accept-all", "reject-all", "custom", "gpc", "api"] },
          "event": { "type": "string", "enum": ["given", "refused", "updated", "withdrawn", "reconfirmed"], "description": "Optional; by default refused when only necessary categories are granted, else given for a subject's first record and updated after." },
          "policies": { "type": "array", "minItems": 1, "items": { "$ref": "#/components/schemas/PolicyVersion" } },
          "notice": { "$ref": "#/components/schemas/Notice" },
          "idempotencyKey": { "type": "string", "maxLength": 255, "description": "Scoped to the subject. Reusing it for a different decision answers 409." }
        }
      },
      "PolicyVersion": {
        "type": "object", "required": ["id", "version"],
        "properties": { "id": { "type": "string" }, "version": { "type": "string", "format": "date" },
                        "locale": { "type": "string", "maxLength": 35, "description": "The language of the text shown, when it was one of the version's translations in manifest.json." } }
      },
      "PolicyReference": {
        "type": "object", "required": ["id", "version", "sha256"],
        "properties": {
          "id": { "type": "string" }, "version": { "type": "string", "format": "date" },
          "sha256": { "type": "string", "pattern": "^[0-9a-f]{64}$", "description": "SHA-256 of the rendered text shown (the translation's when locale is set), from manifest.json." },
          "locale": { "type": "string", "description": "Present when the text shown was a translation." }
        }
      },
      "Notice": {
        "type": "object", "required": ["version", "locale"],
        "properties": { "version": { "type": "string", "maxLength": 64 }, "locale": { "type": "string", "maxLength": 35 } }
      },
      "Gpc": {
        "type": "object", "required": ["sent", "honoured"],
        "properties": { "sent": { "type": "boolean" }, "honoured": { "type": "boolean" } }
      },
      "Receipt": {
        "type": "object", "required": ["receiptId", "recordedAt", "entryHash", "signature"],
        "properties": {
          "receiptId": { "type": "string", "format": "uuid", "description": "The record id, a UUIDv7." },
          "recordedAt": { "type": "string", "format": "date-time" },
          "entryHash": { "type": "string", "pattern": "^[0-9a-f]{64}$" },
          "signature": { "type": "string", "contentEncoding": "base64", "description": "Ed25519 over the 32 bytes of entryHash." },
          "sequence": { "type": "integer", "minimum": 1, "description": "The record's position in the chain." },
          "keyId": { "type": "string", "description": "The receipt key that signed it; see /.well-known/redline-receipt-keys." }
        }
      },
      "Checkpoint": {
        "type": "object", "required": ["sequence", "headHash", "time", "keyId", "signature"],
        "properties": {
          "sequence": { "type": "integer", "minimum": 1 },
          "headHash": { "type": "string", "pattern": "^[0-9a-f]{64}$", "description": "entryHash of record `sequence`." },
          "time": { "type": "string", "format": "date-time" },
          "keyId": { "type": "string" },
          "signature": { "type": "string", "contentEncoding": "base64", "description": "Ed25519 over the UTF-8 of `redline-checkpoint-v1\\n<sequence>\\n<headHash>\\n<time>\\n`." }
        }
      },
      "ReceiptKeyring": {
        "type": "object", "required": ["keys"],
        "properties": {
          "keys": { "type": "array", "items": {
            "type": "object", "required": ["keyId", "algorithm", "publicKey"],
            "properties": {
              "keyId": { "type": "string", "description": "First 16 hex digits of the SHA-256 of the raw public key." },
              "algorithm": { "const": "Ed25519" },
              "publicKey": { "type": "string", "contentEncoding": "base64" },
              "validFrom": { "type": "string", "format": "date-time", "description": "Absent: from the first record." },
              "validUntil": { "type": "string", "format": "date-time", "description": "Absent: still in use." }
            }
          } }
        }
      },
      "Change": {
        "type": "object", "required": ["document", "fromVersion", "toVersion", "effective"],
        "properties": {
          "document": { "type": "string" }, "fromVersion": { "type": "string" }, "toVersion": { "type": "string" },
          "effective": { "type": "string", "format": "date" }, "summary": { "type": ["string", "null"] },
          "changesUrl": { "type": ["string", "null"], "format": "uri" }
        }
      },
      "ConsentState": {
        "type": "object",
        "required": ["subject", "receiptId", "recordedAt", "event", "method", "granted", "denied", "policies", "gpc", "expired", "reconsentRequired", "reasons", "changes"],
        "properties": {
          "subject": { "type": "string" }, "receiptId": { "type": "string" }, "recordedAt": { "type": "string", "format": "date-time" },
          "event": { "type": "string" }, "method": { "type": "string" },
          "granted": { "type": "array", "items": { "type": "string" } }, "denied": { "type": "array", "items": { "type": "string" } },
          "policies": { "type": "array", "items": { "$ref": "#/components/schemas/PolicyReference" } },
          "notice": { "oneOf": [{ "$ref": "#/components/schemas/Notice" }, { "type": "null" }] },
          "gpc": { "$ref": "#/components/schemas/Gpc" },
          "validUntil": { "type": ["string", "null"], "format": "date-time" },
          "expired": { "type": "boolean" },
          "reconsentRequired": { "type": "boolean" },
          "reasons": { "type": "array", "items": { "type": "string", "enum": ["material-change", "expired"] } },
          "changes": { "type": "array", "items": { "$ref": "#/components/schemas/Change" } }
        }
      },
      "Evidence": {
        "type": "object",
        "description": "The hashed part of a record. entryHash = SHA-256 of this object as canonical JSON.",
        "properties": {
          "schemaVersion": { "type": "integer" }, "recordId": { "type": "string" }, "sequence": { "type": "integer" },
          "event": { "type": "string" }, "method": { "type": "string" }, "occurredAt": { "type": "string", "format": "date-time" },
          "validUntil": { "type": ["string", "null"] }, "granted": { "type": "array", "items": { "type": "string" } },
          "denied": { "type": "array", "items": { "type": "string" } },
          "policies": { "type": "array", "items": { "$ref": "#/components/schemas/PolicyReference" } },
          "notice": { "oneOf": [{ "$ref": "#/components/schemas/Notice" }, { "type": "null" }] },
          "gpc": { "$ref": "#/components/schemas/Gpc" },
          "idempotencyKeyDigest": { "type": ["string", "null"] }, "personalDigest": { "type": "string" },
          "previousHash": { "type": "string" }
        }
      },
      "SubjectExport": {
        "type": "object", "required": ["subject", "records"],
        "properties": {
          "subject": { "type": "string" },
          "records": {
            "type": "array",
            "items": {
              "type": "object", "required": ["receipt", "evidence"],
              "properties": {
                "receipt": { "$ref": "#/components/schemas/Receipt" },
                "evidence": { "$ref": "#/components/schemas/Evidence" },
                "pagePath": { "type": ["string", "null"] }, "browser": { "type": ["string", "null"] },
                "ipToken": { "type": ["string", "null"], "description": "Only when the operator keeps a truncated or hashed address." }
              }
            }
          }
        }
      },
      "Erasure": {
        "type": "object", "required": ["subject", "erasedRecords"],
        "properties": { "subject": { "type": "string" }, "erasedRecords": { "type": "integer" }, "note": { "type": "string" } }
      },
      "ReceiptKey": {
        "type": "object", "required": ["algorithm", "publicKey"],
        "properties": {
          "algorithm": { "const": "Ed25519" },
          "publicKey": { "type": "string", "contentEncoding": "base64" },
          "signs": { "type": "string" }, "entryHash": { "type": "string" }
        }
      },
      "Error": {
        "type": "object", "required": ["error"],
        "properties": {
          "error": {
            "type": "object", "required": ["code", "message", "details"],
            "properties": {
              "code": { "type": "string", "examples": ["malformed_json", "body_too_large", "validation_failed", "rate_limited", "origin_not_allowed", "idempotency_key_reused", "not_found"] },
              "message": { "type": "string" },
              "details": { "type": "array", "items": { "type": "object", "required": ["field", "message"], "properties": { "field": { "type": "string" }, "message": { "type": "string" } } } }
            }
          }
        }
      }
    }
  }
}
"""#
}

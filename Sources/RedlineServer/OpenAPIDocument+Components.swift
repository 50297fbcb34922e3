extension OpenAPIDocument {
    /// Security schemes, parameters, responses and schemas the paths refer to; the end of the document.
    static let components = #"""
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
      "Impression": {
        "type": "object", "required": ["notice"], "additionalProperties": false,
        "properties": { "notice": { "type": "string", "pattern": "^[0-9a-fA-F]{1,64}$", "description": "The banner text's version, notice.version of consent/config.json." } }
      },
      "Reach": {
        "type": "object", "required": ["impressions", "decisions", "accepted", "interactionRate", "acceptanceRate"],
        "properties": {
          "region": { "type": "string", "description": "byRegion: the region a trusted proxy gave, '' when unknown." },
          "mode": { "type": "string", "enum": ["opt-in", "opt-out", "notice"], "description": "byRegion: the mode of consent there." },
          "notice": { "type": "string", "description": "byNotice: the banner text version." },
          "day": { "type": "string", "format": "date", "description": "daily: the day (UTC)." },
          "impressions": { "type": "integer" },
          "decisions": { "type": "integer", "description": "Consent records; records without a jurisdiction count as region '' opt-in." },
          "accepted": { "type": "integer", "description": "Decisions that granted every optional category (accept-all, or nothing denied)." },
          "interactionRate": { "type": ["number", "null"], "description": "decisions / impressions; null without impressions." },
          "acceptanceRate": { "type": ["number", "null"], "description": "accepted / decisions; null without decisions." }
        }
      },
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
          "updatedAt": { "type": "string", "format": "date-time" },
          "unsubscribedAt": { "type": "string", "format": "date-time",
                              "description": "When the user stopped optional notices with one click; absent: they get them. Required notices reach them either way." }
        }
      },
      "Campaign": {
        "type": "object",
        "required": ["id", "document", "version", "trigger", "state", "optional", "createdAt", "recipients", "queued", "sending", "sent", "failed",
                     "cancelled"],
        "properties": {
          "id": { "type": "integer" }, "document": { "type": "string" }, "version": { "type": "string" },
          "trigger": { "enum": ["published", "manual", "upcoming-at-first-start"] },
          "state": { "enum": ["pending", "approved", "cancelled"], "description": "Nothing is sent while pending." },
          "optional": { "type": "boolean",
                        "description": "An optional notice of an editorial version (site.yaml notices.editorial: optional), with a one-click unsubscribe; false: a required notice." },
          "createdAt": { "type": "string", "format": "date-time" },
          "approvedAt": { "type": "string", "format": "date-time" }, "approvedBy": { "type": "string" },
          "sendAfter": { "type": "string", "format": "date-time" }, "cancelledAt": { "type": "string", "format": "date-time" },
          "recipients": { "type": "integer" }, "queued": { "type": "integer" }, "sending": { "type": "integer" },
          "sent": { "type": "integer" }, "failed": { "type": "integer" },
          "cancelled": { "type": "integer", "description": "Users deleted (or, for an optional notice, unsubscribed) before their message was sent." }
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
          "idempotencyKey": { "type": "string", "maxLength": 255, "description": "Scoped to the subject. Reusing it for a different decision answers 409." },
          "gpp": { "type": "string", "maxLength": 2048, "description": "The IAB Global Privacy Platform string the page signalled after the decision; kept as sent." }
        }
      },
      "Jurisdiction": {
        "type": "object", "required": ["mode"],
        "description": "The visitor's region, from a trusted proxy's header (absent when none said), and the mode of consent site.yaml gives it.",
        "properties": { "region": { "type": "string", "examples": ["DE", "US-CA"] }, "mode": { "type": "string", "enum": ["opt-in", "opt-out", "notice"] } }
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
        "required": ["subject", "receiptId", "recordedAt", "event", "method", "granted", "denied", "policies", "gpc", "expired", "reconsentRequired", "followUp", "reasons", "changes"],
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
          "followUp": { "type": "string", "enum": ["none", "ask", "inform"], "description": "What a change calls for under the mode the decision was made in: ask (opt-in), inform (opt-out, notice)." },
          "jurisdiction": { "$ref": "#/components/schemas/Jurisdiction" },
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
          "previousHash": { "type": "string" },
          "jurisdiction": { "$ref": "#/components/schemas/Jurisdiction" }, "gpp": { "type": "string" }
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

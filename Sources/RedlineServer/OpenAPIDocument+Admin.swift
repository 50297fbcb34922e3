extension OpenAPIDocument {
    /// The admin API's paths: users, campaigns and consent statistics, behind an API key; and the
    /// banner's impression beacon, whose counts the statistics report.
    static let adminAPI = #"""
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
    "/api/v1/consent/impressions": {
      "post": {
        "operationId": "recordImpression",
        "summary": "The banner was shown: count one impression",
        "description": "Sent by the banner with navigator.sendBeacon when it shows the banner or the opt-out or notice information. The body names only the banner text's version (notice.version of consent/config.json): one the site shows, or showed within the notice grace period. The server counts one impression under the day (UTC), the region a trusted proxy gave ('' when none) and the mode of consent there; it stores nothing else: no identifier, cookie, address or user agent. Counts are stored within a second. application/json, text/plain or no Content-Type; a refused beacon counts nothing.",
        "requestBody": { "required": true, "content": {
          "application/json": { "schema": { "$ref": "#/components/schemas/Impression" } },
          "text/plain": { "schema": { "type": "string", "description": "The same JSON object, as sendBeacon sends a string." } } } },
        "responses": {
          "204": { "description": "Counted." },
          "400": { "$ref": "#/components/responses/Error" },
          "403": { "$ref": "#/components/responses/Error" },
          "413": { "$ref": "#/components/responses/Error" },
          "415": { "$ref": "#/components/responses/Error" },
          "422": { "$ref": "#/components/responses/Error" },
          "429": { "$ref": "#/components/responses/Error" }
        }
      }
    },
    "/api/v1/feedback": {
      "post": {
        "operationId": "giveFeedback", "summary": "Was this docs page helpful? Counted per page and docs version; a comment is kept with its page and day, nothing about the reader",
        "requestBody": { "required": true, "content": { "application/json": { "schema": { "type": "object", "required": ["page", "helpful"], "additionalProperties": false, "properties": { "page": { "type": "string", "description": "The docs page's URL path, as manifest.json lists it: /docs/v2/webhooks/", "maxLength": 512 }, "helpful": { "type": "boolean" }, "comment": { "type": "string", "maxLength": 1000 } } } } } },
        "responses": {
          "204": { "description": "Counted." },
          "413": { "$ref": "#/components/responses/Error" },
          "422": { "$ref": "#/components/responses/Error" },
          "429": { "$ref": "#/components/responses/Error" }
        }
      }
    },
    "/api/v1/admin/feedback": {
      "get": {
        "operationId": "feedback", "summary": "Docs feedback: counts per page and version, and the latest 500 comments, newest first", "security": [{ "adminKey": [] }],
        "responses": {
          "200": { "description": "The feedback.", "content": { "application/json": { "schema": { "type": "object", "required": ["pages", "comments"], "properties": { "pages": { "type": "array", "items": { "type": "object", "properties": { "page": { "type": "string" }, "version": { "type": "string" }, "helpful": { "type": "integer" }, "notHelpful": { "type": "integer" } } } }, "comments": { "type": "array", "items": { "type": "object", "properties": { "page": { "type": "string" }, "version": { "type": "string" }, "helpful": { "type": "boolean" }, "comment": { "type": "string" }, "day": { "type": "string", "format": "date" } } } } } } } } },
          "401": { "$ref": "#/components/responses/Error" }
        }
      }
    },
    "/api/v1/admin/feedback.csv": {
      "get": {
        "operationId": "feedbackCountsCSV", "summary": "The counts as CSV: page, version, helpful, not_helpful", "security": [{ "adminKey": [] }],
        "responses": { "200": { "description": "CSV.", "content": { "text/csv": { "schema": { "type": "string" } } } }, "401": { "$ref": "#/components/responses/Error" } }
      }
    },
    "/api/v1/admin/feedback/comments.csv": {
      "get": {
        "operationId": "feedbackCommentsCSV", "summary": "Every comment as CSV: page, version, helpful, comment, day (a leading = + - @ is prefixed with ')", "security": [{ "adminKey": [] }],
        "responses": { "200": { "description": "CSV.", "content": { "text/csv": { "schema": { "type": "string" } } } }, "401": { "$ref": "#/components/responses/Error" } }
      }
    },
    "/api/v1/admin/consent/stats": {
      "get": {
        "operationId": "consentStats", "summary": "Consents of a period: by day and method, category acceptance rates, GPC share; impressions, interaction and acceptance rates by region and mode, by banner text and by day", "security": [{ "adminKey": [] }],
        "parameters": [{ "name": "from", "in": "query", "description": "First day (UTC), included; default 29 days before 'to'.", "schema": { "type": "string", "format": "date" } },
                       { "name": "to", "in": "query", "description": "Last day (UTC), included; default today.", "schema": { "type": "string", "format": "date" } }],
        "responses": {
          "200": { "description": "The counts.", "content": { "application/json": { "schema": { "type": "object", "required": ["from", "to", "total", "byMethod", "byEvent", "byDay", "categories", "gpc"], "properties": { "from": { "type": "string", "format": "date" }, "to": { "type": "string", "format": "date" }, "total": { "type": "integer" }, "byMethod": { "type": "object", "additionalProperties": { "type": "integer" } }, "byEvent": { "type": "object", "additionalProperties": { "type": "integer" } }, "byDay": { "type": "array", "items": { "type": "object", "properties": { "day": { "type": "string", "format": "date" }, "total": { "type": "integer" }, "byMethod": { "type": "object", "additionalProperties": { "type": "integer" } } } } }, "categories": { "type": "object", "additionalProperties": { "type": "object", "properties": { "granted": { "type": "integer" }, "denied": { "type": "integer" }, "acceptanceRate": { "type": "number" } } } }, "gpc": { "type": "object", "properties": { "sent": { "type": "integer" }, "honoured": { "type": "integer" }, "share": { "type": "number" } } }, "reach": { "$ref": "#/components/schemas/Reach" }, "byRegion": { "type": "array", "description": "By region ('' unknown) and mode.", "items": { "$ref": "#/components/schemas/Reach" } }, "byNotice": { "type": "array", "description": "By banner text version ('' for records that name none).", "items": { "$ref": "#/components/schemas/Reach" } }, "daily": { "type": "array", "description": "Impressions and decisions by day.", "items": { "$ref": "#/components/schemas/Reach" } } } } } } },
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
"""#
}

/// The OpenAPI 3.1 description of the sync API, served at `/openapi.json`; docs/openapi.json holds the same text
/// (a test compares them).
enum OpenAPIDocument {
    static let text = #"""
        {
          "openapi": "3.1.0",
          "info": {
            "title": "Roster sync API",
            "version": "1.0.0",
            "description": "The platform's device and customer endpoints, and Roster's own, over one encrypted, region-bound store. Authenticate with `Authorization: Bearer KEY` (`roster key create`). Responses wrap data as {statusCode, message, data}; errors are {statusCode, errorCode, message}."
          },
          "servers": [
            {
              "url": "http://127.0.0.1:8420"
            }
          ],
          "security": [
            {
              "bearer": []
            }
          ],
          "paths": {
            "/health": {
              "get": {
                "operationId": "health",
                "summary": "Liveness, region, store and version (no key).",
                "security": [],
                "responses": {
                  "200": {
                    "description": "The server is up.",
                    "content": {
                      "application/json": {
                        "schema": {
                          "type": "object",
                          "required": [
                            "statusCode",
                            "message",
                            "data"
                          ],
                          "properties": {
                            "statusCode": {
                              "type": "integer"
                            },
                            "message": {
                              "type": "string"
                            },
                            "data": {
                              "$ref": "#/components/schemas/Health"
                            }
                          }
                        }
                      }
                    }
                  }
                }
              }
            },
            "/metrics": {
              "get": {
                "operationId": "metrics",
                "summary": "Prometheus metrics (no key).",
                "security": [],
                "responses": {
                  "200": {
                    "description": "Prometheus text format.",
                    "content": {
                      "text/plain": {
                        "schema": {
                          "type": "string"
                        }
                      }
                    }
                  }
                }
              }
            },
            "/openapi.json": {
              "get": {
                "operationId": "openapi",
                "summary": "This document (no key).",
                "security": [],
                "responses": {
                  "200": {
                    "description": "OpenAPI 3.1.",
                    "content": {
                      "application/json": {
                        "schema": {
                          "type": "object"
                        }
                      }
                    }
                  }
                }
              }
            },
            "/v1/device": {
              "get": {
                "operationId": "deviceGet",
                "summary": "deviceGet: the SDK's five keys, then the whole device record (read).",
                "parameters": [
                  {
                    "name": "deviceId",
                    "in": "query",
                    "required": true,
                    "description": "The deviceId.",
                    "schema": {
                      "type": "string"
                    }
                  }
                ],
                "responses": {
                  "200": {
                    "description": "The device.",
                    "content": {
                      "application/json": {
                        "schema": {
                          "type": "object",
                          "required": [
                            "statusCode",
                            "message",
                            "data"
                          ],
                          "properties": {
                            "statusCode": {
                              "type": "integer"
                            },
                            "message": {
                              "type": "string"
                            },
                            "data": {
                              "$ref": "#/components/schemas/Device"
                            }
                          }
                        }
                      }
                    }
                  },
                  "400": {
                    "$ref": "#/components/responses/Error"
                  },
                  "401": {
                    "$ref": "#/components/responses/Error"
                  },
                  "403": {
                    "$ref": "#/components/responses/Error"
                  },
                  "404": {
                    "$ref": "#/components/responses/Error"
                  }
                }
              },
              "post": {
                "operationId": "deviceRegister",
                "summary": "Register a device, or refresh one already registered (write).",
                "requestBody": {
                  "required": true,
                  "content": {
                    "application/json": {
                      "schema": {
                        "$ref": "#/components/schemas/DeviceRegistration"
                      }
                    }
                  }
                },
                "responses": {
                  "200": {
                    "description": "Refreshed.",
                    "content": {
                      "application/json": {
                        "schema": {
                          "type": "object",
                          "required": [
                            "statusCode",
                            "message",
                            "data"
                          ],
                          "properties": {
                            "statusCode": {
                              "type": "integer"
                            },
                            "message": {
                              "type": "string"
                            },
                            "data": {
                              "$ref": "#/components/schemas/Device"
                            }
                          }
                        }
                      }
                    }
                  },
                  "201": {
                    "description": "Registered.",
                    "content": {
                      "application/json": {
                        "schema": {
                          "type": "object",
                          "required": [
                            "statusCode",
                            "message",
                            "data"
                          ],
                          "properties": {
                            "statusCode": {
                              "type": "integer"
                            },
                            "message": {
                              "type": "string"
                            },
                            "data": {
                              "$ref": "#/components/schemas/Device"
                            }
                          }
                        }
                      }
                    }
                  },
                  "400": {
                    "$ref": "#/components/responses/Error"
                  },
                  "401": {
                    "$ref": "#/components/responses/Error"
                  },
                  "403": {
                    "$ref": "#/components/responses/Error"
                  },
                  "408": {
                    "$ref": "#/components/responses/Error"
                  },
                  "413": {
                    "$ref": "#/components/responses/Error"
                  }
                }
              },
              "put": {
                "operationId": "deviceUpdate",
                "summary": "Change a device: enabled, token, locale, time zone\u2026 (write).",
                "parameters": [
                  {
                    "name": "deviceId",
                    "in": "query",
                    "required": false,
                    "description": "The deviceId (or give it in the body).",
                    "schema": {
                      "type": "string"
                    }
                  }
                ],
                "requestBody": {
                  "required": true,
                  "content": {
                    "application/json": {
                      "schema": {
                        "$ref": "#/components/schemas/DeviceUpdate"
                      }
                    }
                  }
                },
                "responses": {
                  "200": {
                    "description": "Updated.",
                    "content": {
                      "application/json": {
                        "schema": {
                          "type": "object",
                          "required": [
                            "statusCode",
                            "message",
                            "data"
                          ],
                          "properties": {
                            "statusCode": {
                              "type": "integer"
                            },
                            "message": {
                              "type": "string"
                            },
                            "data": {
                              "$ref": "#/components/schemas/Device"
                            }
                          }
                        }
                      }
                    }
                  },
                  "400": {
                    "$ref": "#/components/responses/Error"
                  },
                  "401": {
                    "$ref": "#/components/responses/Error"
                  },
                  "403": {
                    "$ref": "#/components/responses/Error"
                  },
                  "404": {
                    "$ref": "#/components/responses/Error"
                  },
                  "409": {
                    "$ref": "#/components/responses/Error"
                  },
                  "408": {
                    "$ref": "#/components/responses/Error"
                  },
                  "413": {
                    "$ref": "#/components/responses/Error"
                  }
                }
              }
            },
            "/v2/customer": {
              "get": {
                "operationId": "customerGet",
                "summary": "A customer's identity (read).",
                "parameters": [
                  {
                    "name": "customerId",
                    "in": "query",
                    "required": true,
                    "description": "Any ID: CRM id, externalCode, email, E.164 phone or deviceId; typed forms such as crm:\u2026 where supported.",
                    "schema": {
                      "type": "string"
                    }
                  }
                ],
                "responses": {
                  "200": {
                    "description": "The customer.",
                    "content": {
                      "application/json": {
                        "schema": {
                          "type": "object",
                          "required": [
                            "statusCode",
                            "message",
                            "data"
                          ],
                          "properties": {
                            "statusCode": {
                              "type": "integer"
                            },
                            "message": {
                              "type": "string"
                            },
                            "data": {
                              "$ref": "#/components/schemas/CustomerSummary"
                            }
                          }
                        }
                      }
                    }
                  },
                  "400": {
                    "$ref": "#/components/responses/Error"
                  },
                  "401": {
                    "$ref": "#/components/responses/Error"
                  },
                  "403": {
                    "$ref": "#/components/responses/Error"
                  },
                  "404": {
                    "$ref": "#/components/responses/Error"
                  }
                }
              }
            },
            "/v2/customer/field": {
              "get": {
                "operationId": "fieldsGet",
                "summary": "Field values (read).",
                "parameters": [
                  {
                    "name": "customerId",
                    "in": "query",
                    "required": true,
                    "description": "Any ID: CRM id, externalCode, email, E.164 phone or deviceId; typed forms such as crm:\u2026 where supported.",
                    "schema": {
                      "type": "string"
                    }
                  },
                  {
                    "name": "fieldNames",
                    "in": "query",
                    "required": false,
                    "description": "Comma-separated field names; all fields when absent.",
                    "schema": {
                      "type": "string"
                    }
                  }
                ],
                "responses": {
                  "200": {
                    "description": "Field values; null for a named field the customer lacks.",
                    "content": {
                      "application/json": {
                        "schema": {
                          "type": "object",
                          "required": [
                            "statusCode",
                            "message",
                            "data"
                          ],
                          "properties": {
                            "statusCode": {
                              "type": "integer"
                            },
                            "message": {
                              "type": "string"
                            },
                            "data": {
                              "$ref": "#/components/schemas/Fields"
                            }
                          }
                        }
                      }
                    }
                  },
                  "400": {
                    "$ref": "#/components/responses/Error"
                  },
                  "401": {
                    "$ref": "#/components/responses/Error"
                  },
                  "403": {
                    "$ref": "#/components/responses/Error"
                  },
                  "404": {
                    "$ref": "#/components/responses/Error"
                  }
                }
              },
              "put": {
                "operationId": "fieldsSet",
                "summary": "Set fields from a flat JSON object; an unknown customerId creates the customer (write).",
                "parameters": [
                  {
                    "name": "customerId",
                    "in": "query",
                    "required": true,
                    "description": "Any ID: CRM id, externalCode, email, E.164 phone or deviceId; typed forms such as crm:\u2026 where supported.",
                    "schema": {
                      "type": "string"
                    }
                  }
                ],
                "requestBody": {
                  "required": true,
                  "content": {
                    "application/json": {
                      "schema": {
                        "$ref": "#/components/schemas/FieldValues"
                      }
                    }
                  }
                },
                "responses": {
                  "200": {
                    "description": "Set.",
                    "content": {
                      "application/json": {
                        "schema": {
                          "type": "object",
                          "required": [
                            "statusCode",
                            "message",
                            "data"
                          ],
                          "properties": {
                            "statusCode": {
                              "type": "integer"
                            },
                            "message": {
                              "type": "string"
                            },
                            "data": {
                              "$ref": "#/components/schemas/Fields"
                            }
                          }
                        }
                      }
                    }
                  },
                  "201": {
                    "description": "Customer created and fields set.",
                    "content": {
                      "application/json": {
                        "schema": {
                          "type": "object",
                          "required": [
                            "statusCode",
                            "message",
                            "data"
                          ],
                          "properties": {
                            "statusCode": {
                              "type": "integer"
                            },
                            "message": {
                              "type": "string"
                            },
                            "data": {
                              "$ref": "#/components/schemas/Fields"
                            }
                          }
                        }
                      }
                    }
                  },
                  "400": {
                    "$ref": "#/components/responses/Error"
                  },
                  "401": {
                    "$ref": "#/components/responses/Error"
                  },
                  "403": {
                    "$ref": "#/components/responses/Error"
                  },
                  "404": {
                    "$ref": "#/components/responses/Error"
                  },
                  "409": {
                    "$ref": "#/components/responses/Error"
                  },
                  "408": {
                    "$ref": "#/components/responses/Error"
                  },
                  "413": {
                    "$ref": "#/components/responses/Error"
                  }
                }
              },
              "delete": {
                "operationId": "fieldsDelete",
                "summary": "Remove fields (write).",
                "parameters": [
                  {
                    "name": "customerId",
                    "in": "query",
                    "required": true,
                    "description": "Any ID: CRM id, externalCode, email, E.164 phone or deviceId; typed forms such as crm:\u2026 where supported.",
                    "schema": {
                      "type": "string"
                    }
                  }
                ],
                "requestBody": {
                  "required": true,
                  "content": {
                    "application/json": {
                      "schema": {
                        "$ref": "#/components/schemas/FieldNames"
                      }
                    }
                  }
                },
                "responses": {
                  "200": {
                    "description": "Removed.",
                    "content": {
                      "application/json": {
                        "schema": {
                          "type": "object",
                          "required": [
                            "statusCode",
                            "message",
                            "data"
                          ],
                          "properties": {
                            "statusCode": {
                              "type": "integer"
                            },
                            "message": {
                              "type": "string"
                            },
                            "data": {
                              "$ref": "#/components/schemas/Fields"
                            }
                          }
                        }
                      }
                    }
                  },
                  "400": {
                    "$ref": "#/components/responses/Error"
                  },
                  "401": {
                    "$ref": "#/components/responses/Error"
                  },
                  "403": {
                    "$ref": "#/components/responses/Error"
                  },
                  "404": {
                    "$ref": "#/components/responses/Error"
                  },
                  "409": {
                    "$ref": "#/components/responses/Error"
                  },
                  "408": {
                    "$ref": "#/components/responses/Error"
                  },
                  "413": {
                    "$ref": "#/components/responses/Error"
                  }
                }
              }
            },
            "/v2/customer/link": {
              "post": {
                "operationId": "link",
                "summary": "Link an email, phone or device to a customer; an unknown customerId creates the customer (write).",
                "requestBody": {
                  "required": true,
                  "content": {
                    "application/json": {
                      "schema": {
                        "$ref": "#/components/schemas/Link"
                      }
                    }
                  }
                },
                "responses": {
                  "200": {
                    "description": "Linked.",
                    "content": {
                      "application/json": {
                        "schema": {
                          "type": "object",
                          "required": [
                            "statusCode",
                            "message",
                            "data"
                          ],
                          "properties": {
                            "statusCode": {
                              "type": "integer"
                            },
                            "message": {
                              "type": "string"
                            },
                            "data": {
                              "$ref": "#/components/schemas/CustomerSummary"
                            }
                          }
                        }
                      }
                    }
                  },
                  "201": {
                    "description": "Customer created and linked.",
                    "content": {
                      "application/json": {
                        "schema": {
                          "type": "object",
                          "required": [
                            "statusCode",
                            "message",
                            "data"
                          ],
                          "properties": {
                            "statusCode": {
                              "type": "integer"
                            },
                            "message": {
                              "type": "string"
                            },
                            "data": {
                              "$ref": "#/components/schemas/CustomerSummary"
                            }
                          }
                        }
                      }
                    }
                  },
                  "400": {
                    "$ref": "#/components/responses/Error"
                  },
                  "401": {
                    "$ref": "#/components/responses/Error"
                  },
                  "403": {
                    "$ref": "#/components/responses/Error"
                  },
                  "404": {
                    "$ref": "#/components/responses/Error"
                  },
                  "409": {
                    "$ref": "#/components/responses/Error"
                  },
                  "408": {
                    "$ref": "#/components/responses/Error"
                  },
                  "413": {
                    "$ref": "#/components/responses/Error"
                  }
                }
              },
              "delete": {
                "operationId": "unlink",
                "summary": "Unlink an email, phone or device (write).",
                "requestBody": {
                  "required": true,
                  "content": {
                    "application/json": {
                      "schema": {
                        "$ref": "#/components/schemas/Link"
                      }
                    }
                  }
                },
                "responses": {
                  "200": {
                    "description": "Unlinked.",
                    "content": {
                      "application/json": {
                        "schema": {
                          "type": "object",
                          "required": [
                            "statusCode",
                            "message",
                            "data"
                          ],
                          "properties": {
                            "statusCode": {
                              "type": "integer"
                            },
                            "message": {
                              "type": "string"
                            },
                            "data": {
                              "$ref": "#/components/schemas/CustomerSummary"
                            }
                          }
                        }
                      }
                    }
                  },
                  "400": {
                    "$ref": "#/components/responses/Error"
                  },
                  "401": {
                    "$ref": "#/components/responses/Error"
                  },
                  "403": {
                    "$ref": "#/components/responses/Error"
                  },
                  "404": {
                    "$ref": "#/components/responses/Error"
                  },
                  "409": {
                    "$ref": "#/components/responses/Error"
                  },
                  "408": {
                    "$ref": "#/components/responses/Error"
                  },
                  "413": {
                    "$ref": "#/components/responses/Error"
                  }
                }
              }
            },
            "/v2/customer/consent": {
              "put": {
                "operationId": "consent",
                "summary": "Turn one channel on or off (write).",
                "requestBody": {
                  "required": true,
                  "content": {
                    "application/json": {
                      "schema": {
                        "$ref": "#/components/schemas/ConsentChange"
                      }
                    }
                  }
                },
                "responses": {
                  "200": {
                    "description": "Consent after the change.",
                    "content": {
                      "application/json": {
                        "schema": {
                          "type": "object",
                          "required": [
                            "statusCode",
                            "message",
                            "data"
                          ],
                          "properties": {
                            "statusCode": {
                              "type": "integer"
                            },
                            "message": {
                              "type": "string"
                            },
                            "data": {
                              "$ref": "#/components/schemas/Consent"
                            }
                          }
                        }
                      }
                    }
                  },
                  "400": {
                    "$ref": "#/components/responses/Error"
                  },
                  "401": {
                    "$ref": "#/components/responses/Error"
                  },
                  "403": {
                    "$ref": "#/components/responses/Error"
                  },
                  "404": {
                    "$ref": "#/components/responses/Error"
                  },
                  "409": {
                    "$ref": "#/components/responses/Error"
                  },
                  "408": {
                    "$ref": "#/components/responses/Error"
                  },
                  "413": {
                    "$ref": "#/components/responses/Error"
                  }
                }
              }
            },
            "/v2/customers": {
              "post": {
                "operationId": "customersUpsert",
                "summary": "Batch upsert by CRM id, at most 1,000 per request; a result per item (write).",
                "requestBody": {
                  "required": true,
                  "content": {
                    "application/json": {
                      "schema": {
                        "type": "array",
                        "maxItems": 1000,
                        "items": {
                          "$ref": "#/components/schemas/CustomerUpsert"
                        }
                      }
                    }
                  }
                },
                "responses": {
                  "200": {
                    "description": "Per-item results.",
                    "content": {
                      "application/json": {
                        "schema": {
                          "type": "object",
                          "required": [
                            "statusCode",
                            "message",
                            "data"
                          ],
                          "properties": {
                            "statusCode": {
                              "type": "integer"
                            },
                            "message": {
                              "type": "string"
                            },
                            "data": {
                              "$ref": "#/components/schemas/BatchResult"
                            }
                          }
                        }
                      }
                    }
                  },
                  "400": {
                    "$ref": "#/components/responses/Error"
                  },
                  "401": {
                    "$ref": "#/components/responses/Error"
                  },
                  "403": {
                    "$ref": "#/components/responses/Error"
                  },
                  "408": {
                    "$ref": "#/components/responses/Error"
                  },
                  "413": {
                    "$ref": "#/components/responses/Error"
                  }
                }
              }
            },
            "/v2/query": {
              "post": {
                "operationId": "query",
                "summary": "Run a filter: the count and a page of externalCodes (read).",
                "requestBody": {
                  "required": true,
                  "content": {
                    "application/json": {
                      "schema": {
                        "$ref": "#/components/schemas/Query"
                      }
                    }
                  }
                },
                "responses": {
                  "200": {
                    "description": "A page.",
                    "content": {
                      "application/json": {
                        "schema": {
                          "type": "object",
                          "required": [
                            "statusCode",
                            "message",
                            "data"
                          ],
                          "properties": {
                            "statusCode": {
                              "type": "integer"
                            },
                            "message": {
                              "type": "string"
                            },
                            "data": {
                              "$ref": "#/components/schemas/QueryResult"
                            }
                          }
                        }
                      }
                    }
                  },
                  "400": {
                    "$ref": "#/components/responses/Error"
                  },
                  "401": {
                    "$ref": "#/components/responses/Error"
                  },
                  "403": {
                    "$ref": "#/components/responses/Error"
                  },
                  "408": {
                    "$ref": "#/components/responses/Error"
                  },
                  "413": {
                    "$ref": "#/components/responses/Error"
                  }
                }
              }
            },
            "/v2/import": {
              "post": {
                "operationId": "importUpload",
                "summary": "Stream an import file into the importer, as `roster import KIND FILE --json` (write). The upload is sealed as it arrives; at most --max-csv-bytes (default 256 MiB).",
                "parameters": [
                  {
                    "name": "kind",
                    "in": "query",
                    "required": true,
                    "description": "The import kind, as `roster import KIND`.",
                    "schema": {
                      "type": "string",
                      "enum": [
                        "contacts",
                        "email",
                        "sms",
                        "push",
                        "fields",
                        "jsonl"
                      ]
                    }
                  },
                  {
                    "name": "dryRun",
                    "in": "query",
                    "required": false,
                    "description": "Compute the summary and write nothing.",
                    "schema": {
                      "type": "boolean"
                    }
                  },
                  {
                    "name": "strict",
                    "in": "query",
                    "required": false,
                    "description": "Any rejected row refuses the whole import (422), and nothing is written.",
                    "schema": {
                      "type": "boolean"
                    }
                  }
                ],
                "requestBody": {
                  "required": true,
                  "content": {
                    "text/csv": {
                      "schema": {
                        "type": "string"
                      }
                    },
                    "application/x-ndjson": {
                      "schema": {
                        "type": "string"
                      }
                    }
                  }
                },
                "responses": {
                  "200": {
                    "description": "The importer's summary; rejected rows are listed up to 1,000 (rejectsShown), counted all (rejected).",
                    "content": {
                      "application/json": {
                        "schema": {
                          "type": "object",
                          "required": [
                            "statusCode",
                            "message",
                            "data"
                          ],
                          "properties": {
                            "statusCode": {
                              "type": "integer"
                            },
                            "message": {
                              "type": "string"
                            },
                            "data": {
                              "$ref": "#/components/schemas/ImportSummary"
                            }
                          }
                        }
                      }
                    }
                  },
                  "400": {
                    "$ref": "#/components/responses/Error"
                  },
                  "401": {
                    "$ref": "#/components/responses/Error"
                  },
                  "403": {
                    "$ref": "#/components/responses/Error"
                  },
                  "408": {
                    "$ref": "#/components/responses/Error"
                  },
                  "413": {
                    "$ref": "#/components/responses/Error"
                  },
                  "422": {
                    "$ref": "#/components/responses/Error"
                  }
                }
              }
            },
            "/v2/preview": {
              "get": {
                "operationId": "preview",
                "summary": "Render a template for one customer (read).",
                "parameters": [
                  {
                    "name": "customerId",
                    "in": "query",
                    "required": true,
                    "description": "Any ID: CRM id, externalCode, email, E.164 phone or deviceId; typed forms such as crm:\u2026 where supported.",
                    "schema": {
                      "type": "string"
                    }
                  },
                  {
                    "name": "template",
                    "in": "query",
                    "required": true,
                    "description": "The template: $Name, ${Name|fallback}, $$.",
                    "schema": {
                      "type": "string"
                    }
                  }
                ],
                "responses": {
                  "200": {
                    "description": "The rendering and the fields it missed.",
                    "content": {
                      "application/json": {
                        "schema": {
                          "type": "object",
                          "required": [
                            "statusCode",
                            "message",
                            "data"
                          ],
                          "properties": {
                            "statusCode": {
                              "type": "integer"
                            },
                            "message": {
                              "type": "string"
                            },
                            "data": {
                              "$ref": "#/components/schemas/Preview"
                            }
                          }
                        }
                      }
                    }
                  },
                  "400": {
                    "$ref": "#/components/responses/Error"
                  },
                  "401": {
                    "$ref": "#/components/responses/Error"
                  },
                  "403": {
                    "$ref": "#/components/responses/Error"
                  },
                  "404": {
                    "$ref": "#/components/responses/Error"
                  }
                }
              }
            },
            "/v2/customer/export": {
              "get": {
                "operationId": "accessExport",
                "summary": "GDPR access export of one customer (admin; audited).",
                "parameters": [
                  {
                    "name": "customerId",
                    "in": "query",
                    "required": true,
                    "description": "Any ID: CRM id, externalCode, email, E.164 phone or deviceId; typed forms such as crm:\u2026 where supported.",
                    "schema": {
                      "type": "string"
                    }
                  }
                ],
                "responses": {
                  "200": {
                    "description": "Everything held on the customer.",
                    "content": {
                      "application/json": {
                        "schema": {
                          "type": "object",
                          "required": [
                            "statusCode",
                            "message",
                            "data"
                          ],
                          "properties": {
                            "statusCode": {
                              "type": "integer"
                            },
                            "message": {
                              "type": "string"
                            },
                            "data": {
                              "$ref": "#/components/schemas/AccessExport"
                            }
                          }
                        }
                      }
                    }
                  },
                  "400": {
                    "$ref": "#/components/responses/Error"
                  },
                  "401": {
                    "$ref": "#/components/responses/Error"
                  },
                  "403": {
                    "$ref": "#/components/responses/Error"
                  },
                  "404": {
                    "$ref": "#/components/responses/Error"
                  }
                }
              }
            },
            "/v2/customer/erase": {
              "post": {
                "operationId": "erase",
                "summary": "GDPR erasure (admin; audited).",
                "requestBody": {
                  "required": true,
                  "content": {
                    "application/json": {
                      "schema": {
                        "$ref": "#/components/schemas/Erase"
                      }
                    }
                  }
                },
                "responses": {
                  "200": {
                    "description": "Erased.",
                    "content": {
                      "application/json": {
                        "schema": {
                          "type": "object",
                          "required": [
                            "statusCode",
                            "message",
                            "data"
                          ],
                          "properties": {
                            "statusCode": {
                              "type": "integer"
                            },
                            "message": {
                              "type": "string"
                            },
                            "data": {
                              "$ref": "#/components/schemas/Erasure"
                            }
                          }
                        }
                      }
                    }
                  },
                  "400": {
                    "$ref": "#/components/responses/Error"
                  },
                  "401": {
                    "$ref": "#/components/responses/Error"
                  },
                  "403": {
                    "$ref": "#/components/responses/Error"
                  },
                  "404": {
                    "$ref": "#/components/responses/Error"
                  },
                  "409": {
                    "$ref": "#/components/responses/Error"
                  },
                  "408": {
                    "$ref": "#/components/responses/Error"
                  },
                  "413": {
                    "$ref": "#/components/responses/Error"
                  }
                }
              }
            }
          },
          "components": {
            "securitySchemes": {
              "bearer": {
                "type": "http",
                "scheme": "bearer",
                "description": "A key from `roster key create`."
              }
            },
            "responses": {
              "Error": {
                "description": "An error: statusCode, errorCode (see docs/server.md) and a message.",
                "content": {
                  "application/json": {
                    "schema": {
                      "$ref": "#/components/schemas/Error"
                    }
                  }
                }
              }
            },
            "schemas": {
              "Error": {
                "type": "object",
                "required": [
                  "statusCode",
                  "errorCode",
                  "message"
                ],
                "properties": {
                  "statusCode": {
                    "type": "integer"
                  },
                  "errorCode": {
                    "type": "integer"
                  },
                  "message": {
                    "type": "string"
                  }
                }
              },
              "Health": {
                "type": "object",
                "required": [
                  "status",
                  "region",
                  "store",
                  "version"
                ],
                "properties": {
                  "status": {
                    "type": "string"
                  },
                  "region": {
                    "type": "string"
                  },
                  "store": {
                    "type": "string"
                  },
                  "version": {
                    "type": "string"
                  }
                }
              },
              "Device": {
                "type": "object",
                "required": [
                  "enabled",
                  "locale",
                  "timeZone",
                  "timeOffset",
                  "deviceId",
                  "platform",
                  "createdAt",
                  "updatedAt"
                ],
                "properties": {
                  "enabled": {
                    "type": "boolean"
                  },
                  "locale": {
                    "type": [
                      "string",
                      "null"
                    ]
                  },
                  "timeZone": {
                    "type": [
                      "string",
                      "null"
                    ]
                  },
                  "timeOffset": {
                    "type": [
                      "integer",
                      "null"
                    ]
                  },
                  "deviceId": {
                    "type": "string"
                  },
                  "platform": {
                    "type": "string",
                    "enum": [
                      "webpush",
                      "android",
                      "ios"
                    ]
                  },
                  "externalCode": {
                    "type": [
                      "string",
                      "null"
                    ]
                  },
                  "pushToken": {
                    "type": [
                      "string",
                      "null"
                    ]
                  },
                  "browserName": {
                    "type": [
                      "string",
                      "null"
                    ]
                  },
                  "browserVersion": {
                    "type": [
                      "string",
                      "null"
                    ]
                  },
                  "osName": {
                    "type": [
                      "string",
                      "null"
                    ]
                  },
                  "osVersion": {
                    "type": [
                      "string",
                      "null"
                    ]
                  },
                  "deviceType": {
                    "type": [
                      "string",
                      "null"
                    ]
                  },
                  "createdAt": {
                    "type": "string"
                  },
                  "updatedAt": {
                    "type": "string"
                  }
                }
              },
              "DeviceRegistration": {
                "type": "object",
                "additionalProperties": false,
                "required": [
                  "platform"
                ],
                "properties": {
                  "deviceId": {
                    "type": "string"
                  },
                  "platform": {
                    "type": "string",
                    "enum": [
                      "webpush",
                      "android",
                      "ios"
                    ]
                  },
                  "pushToken": {
                    "type": "string"
                  },
                  "browserName": {
                    "type": "string"
                  },
                  "browserVersion": {
                    "type": "string"
                  },
                  "osName": {
                    "type": "string"
                  },
                  "osVersion": {
                    "type": "string"
                  },
                  "deviceType": {
                    "type": "string"
                  },
                  "locale": {
                    "type": "string"
                  },
                  "timeZone": {
                    "type": "string",
                    "description": "An IANA zone such as Europe/Madrid."
                  },
                  "timeZome": {
                    "type": "string",
                    "description": "The web SDK's spelling of timeZone; accepted."
                  },
                  "timeOffset": {
                    "type": "integer",
                    "description": "Accepted and ignored: derived from the time zone."
                  }
                }
              },
              "DeviceUpdate": {
                "type": "object",
                "additionalProperties": false,
                "properties": {
                  "deviceId": {
                    "type": "string"
                  },
                  "enabled": {
                    "type": "boolean"
                  },
                  "platform": {
                    "type": "string",
                    "enum": [
                      "webpush",
                      "android",
                      "ios"
                    ]
                  },
                  "pushToken": {
                    "type": "string"
                  },
                  "browserName": {
                    "type": "string"
                  },
                  "browserVersion": {
                    "type": "string"
                  },
                  "osName": {
                    "type": "string"
                  },
                  "osVersion": {
                    "type": "string"
                  },
                  "deviceType": {
                    "type": "string"
                  },
                  "locale": {
                    "type": "string"
                  },
                  "timeZone": {
                    "type": "string"
                  },
                  "timeZome": {
                    "type": "string"
                  },
                  "timeOffset": {
                    "type": "integer"
                  }
                }
              },
              "CustomerSummary": {
                "type": "object",
                "required": [
                  "id",
                  "customerId",
                  "applicationId",
                  "createdAt",
                  "updatedAt"
                ],
                "properties": {
                  "id": {
                    "type": "string",
                    "description": "The externalCode."
                  },
                  "customerId": {
                    "type": "string",
                    "description": "The CRM id."
                  },
                  "applicationId": {
                    "type": "string"
                  },
                  "externalCode": {
                    "type": "string"
                  },
                  "createdAt": {
                    "type": "string"
                  },
                  "updatedAt": {
                    "type": "string"
                  }
                }
              },
              "Fields": {
                "type": "object",
                "additionalProperties": {
                  "type": [
                    "string",
                    "null"
                  ]
                }
              },
              "FieldValues": {
                "type": "object",
                "additionalProperties": {
                  "type": [
                    "string",
                    "number",
                    "boolean"
                  ]
                }
              },
              "FieldNames": {
                "type": "object",
                "additionalProperties": false,
                "required": [
                  "fields"
                ],
                "properties": {
                  "fields": {
                    "type": "array",
                    "items": {
                      "type": "string"
                    }
                  }
                }
              },
              "Link": {
                "type": "object",
                "additionalProperties": false,
                "required": [
                  "channel",
                  "customerId"
                ],
                "properties": {
                  "channel": {
                    "type": "string",
                    "enum": [
                      "email",
                      "sms",
                      "push"
                    ]
                  },
                  "customerId": {
                    "type": "string"
                  },
                  "email": {
                    "type": "string"
                  },
                  "phone": {
                    "type": "string"
                  },
                  "countryCode": {
                    "type": "string"
                  },
                  "deviceId": {
                    "type": "string"
                  }
                }
              },
              "Consent": {
                "type": "object",
                "required": [
                  "email",
                  "sms",
                  "push"
                ],
                "properties": {
                  "email": {
                    "type": "boolean"
                  },
                  "sms": {
                    "type": "boolean"
                  },
                  "push": {
                    "type": "boolean"
                  }
                }
              },
              "ConsentChange": {
                "type": "object",
                "additionalProperties": false,
                "required": [
                  "customerId",
                  "channel",
                  "enabled"
                ],
                "properties": {
                  "customerId": {
                    "type": "string"
                  },
                  "channel": {
                    "type": "string",
                    "enum": [
                      "email",
                      "sms",
                      "push"
                    ]
                  },
                  "enabled": {
                    "type": "boolean"
                  }
                }
              },
              "CustomerUpsert": {
                "type": "object",
                "additionalProperties": false,
                "required": [
                  "customerId"
                ],
                "properties": {
                  "customerId": {
                    "type": "string",
                    "description": "The CRM id."
                  },
                  "email": {
                    "type": "string"
                  },
                  "countryCode": {
                    "type": "string"
                  },
                  "phone": {
                    "type": "string"
                  },
                  "fields": {
                    "$ref": "#/components/schemas/FieldValues"
                  },
                  "consent": {
                    "type": "object",
                    "additionalProperties": false,
                    "properties": {
                      "email": {
                        "type": "boolean"
                      },
                      "sms": {
                        "type": "boolean"
                      },
                      "push": {
                        "type": "boolean"
                      }
                    }
                  }
                }
              },
              "BatchResult": {
                "type": "object",
                "required": [
                  "accepted",
                  "rejected",
                  "results"
                ],
                "properties": {
                  "accepted": {
                    "type": "integer"
                  },
                  "rejected": {
                    "type": "integer"
                  },
                  "results": {
                    "type": "array",
                    "items": {
                      "type": "object",
                      "required": [
                        "index",
                        "status"
                      ],
                      "properties": {
                        "index": {
                          "type": "integer"
                        },
                        "status": {
                          "type": "string",
                          "enum": [
                            "created",
                            "updated",
                            "rejected"
                          ]
                        },
                        "externalCode": {
                          "type": "string"
                        },
                        "errorCode": {
                          "type": "integer"
                        },
                        "message": {
                          "type": "string"
                        }
                      }
                    }
                  }
                }
              },
              "Query": {
                "type": "object",
                "additionalProperties": false,
                "required": [
                  "filter"
                ],
                "properties": {
                  "filter": {
                    "type": "string"
                  },
                  "limit": {
                    "type": "integer",
                    "minimum": 1,
                    "maximum": 1000
                  },
                  "cursor": {
                    "type": "string"
                  }
                }
              },
              "QueryResult": {
                "type": "object",
                "required": [
                  "count",
                  "externalCodes",
                  "nextCursor"
                ],
                "properties": {
                  "count": {
                    "type": "integer"
                  },
                  "externalCodes": {
                    "type": "array",
                    "items": {
                      "type": "string"
                    }
                  },
                  "nextCursor": {
                    "type": [
                      "string",
                      "null"
                    ]
                  }
                }
              },
              "Preview": {
                "type": "object",
                "required": [
                  "rendered",
                  "missing"
                ],
                "properties": {
                  "rendered": {
                    "type": "string"
                  },
                  "missing": {
                    "type": "array",
                    "items": {
                      "type": "string"
                    }
                  }
                }
              },
              "AccessExport": {
                "type": "object",
                "required": [
                  "region",
                  "externalCode",
                  "crmId"
                ]
              },
              "Erase": {
                "type": "object",
                "additionalProperties": false,
                "required": [
                  "customerId"
                ],
                "properties": {
                  "customerId": {
                    "type": "string"
                  },
                  "suppress": {
                    "type": "boolean"
                  }
                }
              },
              "Erasure": {
                "type": "object",
                "required": [
                  "externalCode",
                  "devices",
                  "suppressed",
                  "walCleared"
                ],
                "properties": {
                  "externalCode": {
                    "type": "string"
                  },
                  "devices": {
                    "type": "integer"
                  },
                  "suppressed": {
                    "type": "boolean"
                  },
                  "walCleared": {
                    "type": "boolean"
                  }
                }
              },
              "ImportSummary": {
                "type": "object",
                "required": [
                  "read",
                  "created",
                  "updated",
                  "unchanged",
                  "rejected",
                  "duplicatesInFile",
                  "rejects",
                  "dryRun",
                  "formats",
                  "rejectsShown"
                ],
                "properties": {
                  "read": {
                    "type": "integer"
                  },
                  "created": {
                    "type": "integer"
                  },
                  "updated": {
                    "type": "integer"
                  },
                  "unchanged": {
                    "type": "integer"
                  },
                  "rejected": {
                    "type": "integer"
                  },
                  "duplicatesInFile": {
                    "type": "integer"
                  },
                  "rejects": {
                    "type": "array",
                    "maxItems": 1000,
                    "items": {
                      "type": "object",
                      "required": [
                        "line",
                        "reason"
                      ],
                      "properties": {
                        "line": {
                          "type": "integer"
                        },
                        "reason": {
                          "type": "string"
                        }
                      }
                    }
                  },
                  "dryRun": {
                    "type": "boolean"
                  },
                  "formats": {
                    "type": "array",
                    "items": {
                      "type": "object",
                      "required": [
                        "field",
                        "type",
                        "format"
                      ],
                      "properties": {
                        "field": {
                          "type": "string"
                        },
                        "type": {
                          "type": "string"
                        },
                        "format": {
                          "type": "string"
                        }
                      }
                    }
                  },
                  "encoding": {
                    "type": "string"
                  },
                  "separator": {
                    "type": "string"
                  },
                  "byteOrderMark": {
                    "type": "boolean"
                  },
                  "rejectsShown": {
                    "type": "integer"
                  }
                }
              }
            }
          }
        }
        """#
}

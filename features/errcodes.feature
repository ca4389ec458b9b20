@fake
Feature: Every errcode on demand
  The fake answers any errcode of openapi.yaml's tables when a scenario
  forces it, so that a client can test how it handles each one. Here each is
  chosen with the X-Tcbmock-Scenario header.

  Scenario Outline: getenvinfo answers a forced errcode
    Given a token for the app
    When I list the environments with the scenario "<scenario>"
    Then the errcode is <errcode>

    Examples:
      | scenario                      | errcode |
      | system-busy                   | -1      |
      | system-error                  | -1000   |
      | invalid-credential            | 40001   |
      | invalid-access-token          | 40014   |
      | invalid-args                  | 40097   |
      | missing-parameter             | 40101   |
      | access-token-missing          | 41001   |
      | access-token-expired          | 42001   |
      | require-post-method           | 43002   |
      | empty-post-data               | 44002   |
      | daily-quota-reached           | 45009   |
      | data-format-error             | 47001   |
      | api-unauthorized              | 48001   |
      | api-unauthorized-to-component | 61007   |
      | cloudbase-not-opened          | 85088   |

  Scenario Outline: stable_token answers a forced errcode
    When I get a stable token with the scenario "<scenario>"
    Then the errcode is <errcode>

    Examples:
      | scenario                         | errcode |
      | token-system-busy                | -1      |
      | token-invalid-grant-type         | 40002   |
      | token-invalid-appid              | 40013   |
      | token-invalid-appsecret          | 40125   |
      | token-appid-missing              | 41002   |
      | token-appsecret-missing          | 41004   |
      | token-daily-quota-reached        | 45009   |
      | token-require-post-method        | 43002   |
      | token-empty-post-data            | 44002   |
      | token-data-format-error          | 47001   |

  Scenario Outline: /cgi-bin/token answers a forced errcode
    When I get a token from /cgi-bin/token with the scenario "<scenario>"
    Then the errcode is <errcode>

    Examples:
      | scenario                  | errcode |
      | token-system-busy         | -1      |
      | token-invalid-grant-type  | 40002   |
      | token-invalid-appid       | 40013   |
      | token-invalid-appsecret   | 40125   |
      | token-appid-missing       | 41002   |
      | token-appsecret-missing   | 41004   |
      | token-daily-quota-reached | 45009   |
      | token-require-get-method  | 43001   |

  Scenario Outline: api_component_token answers a forced errcode
    When I get a component token with the scenario "<scenario>"
    Then the errcode is <errcode>

    Examples:
      | scenario                  | errcode |
      | token-system-busy         | -1      |
      | token-daily-quota-reached | 45009   |
      | token-invalid-appsecret   | 40125   |
      | token-appsecret-missing   | 41004   |
      | token-require-post-method | 43002   |
      | token-empty-post-data     | 44002   |
      | token-data-format-error   | 47001   |
      | component-appid-missing   | 41018   |
      | invalid-component         | 61011   |
      | component-ticket-invalid  | 61006   |
      | component-ticket-expired  | 61005   |
      | clientip-not-registered   | 61004   |

  Scenario Outline: api_authorizer_token answers a forced errcode
    Given the platform's component token
    When I get the authorizer token of the mini program with the scenario "<scenario>"
    Then the errcode is <errcode>

    Examples:
      | scenario                   | errcode |
      | token-system-busy          | -1      |
      | token-daily-quota-reached  | 45009   |
      | token-require-post-method  | 43002   |
      | token-empty-post-data      | 44002   |
      | token-data-format-error    | 47001   |
      | component-appid-missing    | 41018   |
      | invalid-component          | 61011   |
      | component-token-missing    | 41001   |
      | component-token-invalid    | 40014   |
      | component-token-not-latest | 40001   |
      | component-token-expired    | 42001   |
      | component-token-required   | 61014   |
      | component-not-authorized   | 61003   |
      | refresh-token-invalid      | 61023   |

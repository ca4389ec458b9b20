Feature: Getting an access token
  A client needs an access token before it calls getenvinfo. It gets one from
  /cgi-bin/stable_token, which answers the same token while it is valid, or
  from /cgi-bin/token, which issues a new one on every call and retires the
  previous one five minutes later. Against production the suite only ever
  uses stable_token, without force_refresh, so that it never retires the token
  a running service is using.

  @live
  Scenario: stable_token gives a token
    When I get a stable token
    Then I get a token valid for at least 300 seconds

  @live
  Scenario: stable_token answers the same token while it is valid
    When I get a stable token
    And I get a stable token again
    Then both tokens are the same

  @live
  Scenario Outline: stable_token refuses a bad request
    When I ask stable_token with <what>
    Then the errcode is <errcode>

    Examples:
      | what                    | errcode |
      | a wrong grant_type      | 40002   |
      | no appid                | 41002   |
      | an unknown appid        | 40013   |
      | no secret               | 41004   |
      | a body that is not JSON | 47001   |
      | the method GET          | 43002   |

  Scenario Outline: stable_token refuses what production is not asked
    When I ask stable_token with <what>
    Then the errcode is <errcode>

    Examples:
      | what           | errcode |
      | a wrong secret | 40125   |
      | an empty body  | 44002   |

  Scenario: /cgi-bin/token gives a new token on every call
    When I get a token from /cgi-bin/token
    And I get another token from /cgi-bin/token
    Then the tokens differ
    And the second token works

  Scenario Outline: /cgi-bin/token refuses bad credentials
    When I ask /cgi-bin/token with <what>
    Then the errcode is <errcode>

    Examples:
      | what               | errcode |
      | a wrong grant_type | 40002   |
      | no appid           | 41002   |
      | an unknown appid   | 40013   |
      | no secret          | 41004   |
      | a wrong secret     | 40125   |
      | the method POST    | 43001   |

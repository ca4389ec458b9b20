@third-party
Feature: A third-party platform lists the environments of a mini program it manages
  A third-party platform gets its component_access_token with its appid, its
  secret and the verify ticket WeChat pushes to it. With that token and a mini
  program's refresh token it gets an authorizer_access_token, and with that it
  calls getenvinfo for the mini program, if the mini program granted it
  permission set 49 or 64.

  Background:
    Given the platform's component token

  @live
  Scenario: The whole chain
    When I get the authorizer token of the mini program
    And I list the environments
    Then the errcode is 0

  @live
  Scenario: The component token passed as access_token, as newer docs write it
    When I get the authorizer token of the mini program, passing the component token as access_token
    Then the errcode is 0

  Scenario: A mini program that granted neither permission set 49 nor 64
    When I get the authorizer token of the mini program without the permission sets
    And I list the environments
    Then the errcode is 61007

  @live
  Scenario: A mini program that did not authorize the platform
    When I ask api_authorizer_token with an account that did not authorize the platform
    Then the errcode is 61003

  Scenario: A component token is no token for getenvinfo
    When I list the environments with the component token
    Then the errcode is 48001

  Scenario: An account's token is no component token
    Given a token for the app
    When I ask api_authorizer_token with the account's token
    Then the errcode is 61014

  Scenario Outline: api_component_token refuses bad credentials
    When I ask api_component_token with <what>
    Then the errcode is <errcode>

    Examples:
      | what                        | errcode |
      | no component_appid          | 41018   |
      | an unknown component        | 61011   |
      | no component_appsecret      | 41004   |
      | a wrong component_appsecret | 40125   |
      | a wrong verify ticket       | 61006   |

  Scenario Outline: api_authorizer_token refuses a bad request
    When I ask api_authorizer_token with <what>
    Then the errcode is <errcode>

    Examples:
      | what                        | errcode |
      | no component token          | 41001   |
      | a malformed component token | 40014   |
      | an unknown component token  | 40001   |
      | no component_appid          | 41018   |
      | another component           | 61011   |
      | a wrong refresh token       | 61023   |

  @fake
  Scenario: An old refresh token works five minutes after the mini program authorizes again
    When the mini program authorizes the platform again
    And the clock moves on 4m
    Then the old refresh token still gives an authorizer token
    When the clock moves on 2m
    Then the old refresh token is refused with errcode 61023
    And the new refresh token gives an authorizer token

  @fake
  Scenario: A component token expires after 7200 seconds
    When the clock moves on 7200s
    And I get the authorizer token of the mini program
    Then the errcode is 42001

Feature: Listing the cloud environments
  POST /tcb/getenvinfo?access_token=TOKEN lists the Cloud Base environments of
  the mini program the token belongs to, or only the one its body names in
  "env". Every answer is HTTP 200 JSON; an error is an errcode other than 0.

  Background:
    Given a token for the app

  @live
  Scenario: List every environment
    When I list the environments
    Then the answer lists every environment of the app

  @live
  Scenario: Ask for one environment by its id
    When I list the environments
    And I ask for an environment of the app by its id
    Then the answer lists exactly that environment

  Scenario: Ask for an environment the app does not have
    When I ask for the environment "no-such-env-000000"
    Then the answer lists no environment

  @live
  Scenario Outline: getenvinfo answers only POST
    When I call getenvinfo with the method <method>
    Then the errcode is 43002

    Examples:
      | method |
      | GET    |
      | PUT    |
      | DELETE |
      | PATCH  |

  @live
  Scenario: No token
    When I list the environments without a token
    Then the errcode is 41001

  @live
  Scenario: A token nobody issued
    When I list the environments with an unknown token
    Then the errcode is 40001

  Scenario: A token that is not shaped like one
    When I list the environments with the token "not-a-token"
    Then the errcode is 40014

  @live
  Scenario: A body that is not JSON
    When I call getenvinfo with the body "{"
    Then the errcode is 47001

  Scenario: env that is not a string
    When I call getenvinfo with the body "{"env":5}"
    Then the errcode is 40097

@fake
Feature: Tokens over time, on the fake's clock
  The fake's clock moves on through its admin API, so that five minutes of
  overlap and two hours of lifetime take milliseconds to test.

  Scenario: A new token retires the previous one after five minutes
    Given a token from /cgi-bin/token
    When I get another token from /cgi-bin/token
    And the clock moves on 4m
    Then the first token still works
    When the clock moves on 2m
    Then the first token is refused with errcode 40001
    And the second token works

  Scenario: A token expires after 7200 seconds
    Given a token from /cgi-bin/token
    When the clock moves on 7199s
    Then the first token still works
    When the clock moves on 1s
    Then the first token is refused with errcode 42001

  Scenario: stable_token rotates five minutes before expiry, with an overlap
    When I get a stable token
    And the clock moves on 6900s
    And I get a stable token again
    Then the tokens differ
    And the first token still works
    When the clock moves on 300s
    Then the first token is refused with errcode 42001
    And the second token works

  Scenario: force_refresh retires the stable token at once
    When I get a stable token
    And I get a stable token with force_refresh
    Then the tokens differ
    And the first token is refused with errcode 40001
    And the second token works

  Scenario: A client that retries twice gets through
    Given a token for the app
    When I list the environments with the scenario "retry-then-ok"
    Then the errcode is -1
    When I list the environments again
    Then the errcode is -1
    When I list the environments again
    Then the errcode is 0

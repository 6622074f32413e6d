# The article's sample account holds $1.00 of credit: every scenario here keeps it (credit-balance).
@guide:faq-link-not-displayed @needs:credit-balance
Feature: FAQ: the Upgrade / Downgrade link is not displayed
  The link appears only for an Active service whose contract allows plan changes,
  to a user who may change plans. Otherwise the details page says why and to
  contact support, and opening the change page by its address is refused (403).
  The state is the article's sample account (see upgrade.feature).

  Background:
    Given the sample account of the help article

  Scenario Outline: A service that is not Active offers no plan change
    Given the service's status is "<status>"
    And "alice@example.com" is logged in
    When she opens the details of the DNS SERVICE
    Then "Upgrade / Downgrade" is not offered and the page says to contact support
    When she opens the Upgrade / Downgrade page by its address
    Then the change is refused and the page says to contact support

    Examples:
      | status     |
      | Pending    |
      | Suspended  |
      | Cancelled  |
      | Terminated |

  @smoke @needs:contract-lock
  Scenario: The contract locks plan changes
    Given the contract locks plan changes
    And "alice@example.com" is logged in
    When she opens the details of the DNS SERVICE
    Then "Upgrade / Downgrade" is not offered and the page says to contact support
    When she opens the Upgrade / Downgrade page by its address
    Then the change is refused and the page says to contact support

  @needs:permissions
  Scenario: A user without permission to change plans
    Given "bob@example.com" may not change plans
    And "bob@example.com" is logged in
    When he opens the details of the DNS SERVICE
    Then "Upgrade / Downgrade" is not offered and the page says to contact support
    When he opens the Upgrade / Downgrade page by its address
    Then the change is refused and the page says to contact support

  @needs:permissions
  Scenario: A second login with permission to change plans gets the link and can change the plan
    Given "bob@example.com" may change plans
    And "bob@example.com" is logged in
    When he opens the details of the DNS SERVICE
    Then "Upgrade / Downgrade" is offered
    When he submits the change to "Start" billed "Monthly"
    Then the invoice of this change is "Paid" with a Total of "$2.73"

  # One status stands for all: the change page's refusal above is checked for each.
  Scenario: The review of a service that is not Active is refused when its address is typed
    Given the service's status is "Suspended"
    And "alice@example.com" is logged in
    When she opens the review of a change to "Start" billed "Monthly" by its address
    Then the review is refused and the page says to contact support

  @needs:contract-lock
  Scenario: The review of a service whose contract locks plan changes is refused when its address is typed
    Given the contract locks plan changes
    And "alice@example.com" is logged in
    When she opens the review of a change to "Start" billed "Monthly" by its address
    Then the review is refused and the page says to contact support

  @needs:permissions
  Scenario: The review is refused to a user without permission who types its address
    Given "bob@example.com" may not change plans
    And "bob@example.com" is logged in
    When he opens the review of a change to "Start" billed "Monthly" by its address
    Then the review is refused and the page says to contact support

  @needs:several-services
  Scenario: A Submit sent to the address of a service that is not Active is refused and issues nothing
    Given Alice also has a "Business" service billed "Monthly"
    And the service's status is "Terminated"
    And "alice@example.com" is logged in
    When she reviews the change of her "Business" service to "Start" billed "Monthly" and sends its Submit to the address of the DNS SERVICE
    Then the Submit is refused and the page says to contact support
    When she opens the Invoices list
    Then it lists the invoices she was shown

  @needs:several-services @needs:contract-lock
  Scenario: A Submit sent to the address of a service whose contract locks plan changes is refused and issues nothing
    Given Alice also has a "Business" service billed "Monthly"
    And the contract locks plan changes
    And "alice@example.com" is logged in
    When she reviews the change of her "Business" service to "Start" billed "Monthly" and sends its Submit to the address of the DNS SERVICE
    Then the Submit is refused and the page says to contact support
    When she opens the Invoices list
    Then it lists the invoices she was shown

  @needs:permissions
  Scenario: A Submit sent by a user without permission to change plans is refused and issues nothing
    Given "bob@example.com" may not change plans
    And "bob@example.com" is logged in
    When Alice reviews the change to "Start" billed "Monthly" and he sends its Submit to the address of the DNS SERVICE
    Then the Submit is refused and the page says to contact support
    When he opens the Invoices list
    Then it lists the invoices he was shown

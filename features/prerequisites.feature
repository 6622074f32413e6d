# The article's sample account holds $1.00 of credit: every scenario here keeps it (credit-balance).
@guide:prerequisites @needs:credit-balance
Feature: Prerequisites of a plan change
  Alice must be able to log in to the client portal, her DNS SERVICE must be
  Active, and a change may settle a difference as a charge or as a credit.
  The state is the article's sample account (see upgrade.feature).

  Background:
    Given the sample account of the help article

  Scenario: A visitor is sent to Log in and then back to the page they were going to
    Given a visitor who is not logged in
    When the visitor opens the details of the DNS SERVICE by its address
    Then the Log in page is shown
    When the visitor logs in as "alice@example.com"
    Then the details of "Basic" are shown

  Scenario: An Active service offers the Upgrade / Downgrade link
    Given the service's status is "Active"
    And "alice@example.com" is logged in
    When she opens the details of the DNS SERVICE
    Then "Upgrade / Downgrade" is offered

  Scenario: A service that is not Active does not
    Given the service's status is "Suspended"
    And "alice@example.com" is logged in
    When she opens the details of the DNS SERVICE
    Then "Upgrade / Downgrade" is not offered and the page says to contact support

  @needs:state
  Scenario Outline: A change settles the difference as a charge or as a credit
    Given the service is on "<plan>" billed "Monthly"
    And "alice@example.com" is logged in
    When she submits the change to "<target>" billed "Monthly"
    Then the invoice of this change is "Paid" with a Total of "<total>"
    And Alice's credit balance is "<balance>"

    # Basic → Start: (12.00 − 5.00) × 15/31 = 3.387… → 3.39; + tax 0.34 = 3.73; − 1.00 credit = 2.73; balance 0.00
    # Start → Basic: (5.00 − 12.00) × 15/31 = −3.39: nothing to pay; balance 1.00 + 3.39 = 4.39
    Examples:
      | plan  | target | total | balance |
      | Basic | Start  | $2.73 | $0.00   |
      | Start | Basic  | $0.00 | $4.39   |

  @extra @needs:scenario-date
  Scenario: On its due date a service cannot change plan until the renewal is paid
    Given today is "2026-04-01"
    And "alice@example.com" is logged in
    When she opens the Upgrade / Downgrade page
    Then the change is refused until the renewal is paid

  @extra @needs:scenario-date @needs:several-services
  Scenario: Past its due date, the review and a Submit sent to the service's address are refused until the renewal is paid
    Given Alice also has a "Business" service billed "Monthly"
    And it is "2026-03-17" and the service is on "Basic" billed "Monthly", next due "2026-03-01"
    And "alice@example.com" is logged in
    When she opens the review of a change to "Start" billed "Monthly" by its address
    Then the review is refused until the renewal due "2026-03-01" is paid
    When she reviews the change of her "Business" service to "Start" billed "Monthly" and sends its Submit to the address of the DNS SERVICE
    Then the Submit is refused until the renewal due "2026-03-01" is paid
    When she opens the Invoices list
    Then it lists the invoices she was shown

  @extra
  Scenario: Log out ends the session: the portal asks to log in again
    Given "alice@example.com" is logged in
    When she opens the details of the DNS SERVICE
    And she clicks "Log out"
    Then the Log in page is shown
    When she opens the details of the DNS SERVICE by its address
    Then the Log in page is shown

# The article's sample account holds $1.00 of credit: every scenario here keeps it (credit-balance).
@guide:upgrade-6 @needs:credit-balance
Feature: The review, the invoice and its PDF show every figure as issued
  Each fact a user reads is checked whole: the amounts rows in their order, the
  invoice's line with its period, whom it is billed to, the Invoices list's entry;
  the PDF is read on its own, not compared with the page (SPEC §5.6, §5.7).
  The state is the article's sample account (see upgrade.feature).

  Background:
    Given the sample account of the help article
    And "alice@example.com" is logged in

  @guide:upgrade-5
  Scenario: The review lists the amounts rows in their order
    When she reviews the change to "Start" billed "Monthly"
    Then the review's amounts rows are, in this order:
      | Subtotal               | $3.39 |
      | Tax (10%)              | $0.34 |
      | Credit applied         | $1.00 |
      | Total charge for today | $2.73 |

  Scenario: The invoice lists the change's line with its period and the amounts rows in their order
    When she submits the change to "Start" billed "Monthly"
    Then the invoice lists one line, "Upgrade: Basic (Monthly) → Start (Monthly), 2026-03-17 to 2026-04-01" of "$3.39"
    And the invoice's amounts rows are, in this order:
      | Subtotal       | $3.39 |
      | Tax (10%)      | $0.34 |
      | Credit applied | $1.00 |
      | Total          | $2.73 |

  Scenario: The invoice says whom it is billed to
    When she submits the change to "Start" billed "Monthly"
    Then the invoice is billed to "Alice Example" at "alice@example.com"

  Scenario: The PDF, read on its own, carries the status, date, billed-to, line and amounts in order
    When she submits the change to "Start" billed "Monthly"
    And she downloads the PDF
    Then the PDF says it is "Paid", dated "2026-03-17", billed to "Alice Example" at "alice@example.com"
    And the PDF lists one line, "Upgrade: Basic (Monthly) → Start (Monthly), 2026-03-17 to 2026-04-01" of "$3.39"
    And the PDF's amounts rows are, in this order:
      | Subtotal       | $3.39 |
      | Tax (10%)      | $0.34 |
      | Credit applied | $1.00 |
      | Total          | $2.73 |

  @guide:downgrade-2
  Scenario: A downgrade's review adds the credit row last
    # (5.00 − 12.00) × 15/31 = −3.387… → −3.39: nothing to pay; 3.39 goes to the balance
    Given the service is on "Start" billed "Monthly"
    When she reviews the change to "Basic" billed "Monthly"
    Then the review's amounts rows are, in this order:
      | Subtotal                     | $0.00 |
      | Tax (10%)                    | $0.00 |
      | Credit applied               | $0.00 |
      | Total charge for today       | $0.00 |
      | Credit added to your balance | $3.39 |

  @guide:downgrade-2
  Scenario: A downgrade's invoice and PDF carry its line and the credit row
    Given the service is on "Start" billed "Monthly"
    When she submits the change to "Basic" billed "Monthly"
    Then the invoice lists one line, "Downgrade: Start (Monthly) → Basic (Monthly), 2026-03-17 to 2026-04-01" of "$0.00"
    And the invoice's amounts rows are, in this order:
      | Subtotal                     | $0.00 |
      | Tax (10%)                    | $0.00 |
      | Credit applied               | $0.00 |
      | Total                        | $0.00 |
      | Credit added to your balance | $3.39 |
    When she downloads the PDF
    Then the PDF lists one line, "Downgrade: Start (Monthly) → Basic (Monthly), 2026-03-17 to 2026-04-01" of "$0.00"
    And the PDF's amounts rows are, in this order:
      | Subtotal                     | $0.00 |
      | Tax (10%)                    | $0.00 |
      | Credit applied               | $0.00 |
      | Total                        | $0.00 |
      | Credit added to your balance | $3.39 |

  @guide:downgrade-2 @needs:downgrade-at-renewal
  Scenario: The line of a downgrade at the next renewal says when it takes effect
    Given the service is on "Start" billed "Monthly"
    And downgrades take effect "at the next renewal"
    When she submits the change to "Basic" billed "Monthly"
    Then the invoice lists one line, "Downgrade: Start (Monthly) → Basic (Monthly), effective 2026-04-01" of "$0.00"

  @guide:upgrade-7
  Scenario: The Invoices list shows the invoice of this change with its date, status and total, and no other
    When she submits the change to "Start" billed "Monthly"
    Then the invoice of this change is "Paid" with a Total of "$2.73"
    When she opens the Invoices list
    Then the Invoices list shows only the invoice of this change, dated "2026-03-17", "Paid", with a Total of "$2.73"

  @guide:faq-display-not-updating @needs:bank-transfer
  Scenario: An invoice awaiting a bank transfer is listed Unpaid
    Given Alice pays by "bank transfer"
    When she submits the change to "Start" billed "Monthly"
    Then the invoice of this change is "Unpaid" with a Total of "$2.73"
    When she opens the Invoices list
    Then the Invoices list shows only the invoice of this change, dated "2026-03-17", "Unpaid", with a Total of "$2.73"

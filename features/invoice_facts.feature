# The article's sample account holds $1.00 of credit: every scenario here keeps it (credit-balance).
@guide:downgrade-2 @needs:credit-balance
Feature: A downgrade's review, invoice and PDF show the credit it adds
  An immediate downgrade charges nothing today and adds the unused difference to the
  credit balance: the review, the invoice and its PDF show it as the last amounts row,
  "Credit added to your balance", after the Total; the invoice's line says "Downgrade:"
  with the period (SPEC §5.6, §5.7, §6.5). Each is read whole, the PDF on its own.
  The state is the article's sample account (see upgrade.feature).

  Background:
    Given the sample account of the help article
    And the service is on "Start" billed "Monthly"
    And "alice@example.com" is logged in

  Scenario: The credit a downgrade adds is the last amounts row on the review, the invoice and the PDF
    # (5.00 − 12.00) × 15/31 = −3.387… → −3.39: nothing to pay; 3.39 goes to the balance
    When she reviews the change to "Basic" billed "Monthly"
    Then the review's amounts rows are, in this order:
      | Subtotal                     | $0.00 |
      | Tax (10%)                    | $0.00 |
      | Credit applied               | $0.00 |
      | Total charge for today       | $0.00 |
      | Credit added to your balance | $3.39 |
    When she clicks "Submit"
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

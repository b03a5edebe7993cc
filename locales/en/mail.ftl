## Mail: templates/emails/<kind>/{subject.txt, body.txt}

mail-follow-order = Follow your order at { $link }

mail-order-received-subject = We received order { $code }
mail-order-received-thanks = Thank you, { $name }.
mail-order-received-heading = Order { $code }:
mail-order-received-transfer = Transfer exactly { $total } to Bank { $bank } account { $account } ({ $holder }), reference { $code }, before { $expires }.
mail-order-received-card = Pay { $total } by card at { $link } before { $expires }.
mail-order-received-online = Pay { $total } by QRIS, a bank virtual account or GoPay at { $link } before { $expires }.

mail-new-order-subject = New order { $code }
mail-new-order-heading = New order { $code } for your unit:
mail-new-order-shipping = Shipping: { $shipping }. Prepare it once the payment is confirmed.

mail-order-paid-subject = Payment for order { $code } received
mail-order-paid-body = Thank you, { $name }. We received the payment for order { $code }; the units are preparing your order.

mail-shipped-subject-only = Order { $code } shipped
mail-shipped-subject-last = Order { $code } fully shipped
mail-shipped-subject-part = Part of order { $code } shipped
mail-shipped-what-only = order { $code }
mail-shipped-what-last = the last parcel of order { $code }
mail-shipped-what-part = part of order { $code }
mail-shipped-body = Hello { $name }, { $what } was shipped with { $label }. Tracking number: { $tracking }.
mail-shipped-rest-all = Your whole order is now on its way.
mail-shipped-rest-part = The other parts are still being prepared by their units; we will write again when they leave.

mail-refunded-subject = Order { $code } refunded
mail-refunded-body = Hello { $name }, we refunded the payment for order { $code }. The money reaches your account or card within a few working days.

mail-fair-subject = Fair decision: { $event }
mail-fair-approved = Your application for { $event } is approved. Your booth: { $note }.
mail-fair-waitlisted = Your application for { $event } is on the waiting list.
mail-fair-rejected = Your application for { $event } was declined. Reason: { $note }

mail-expiring-subject = Document { $kind } expires on { $expires-on }
mail-expiring-body = Your unit's { $kind } document number { $number } is valid until { $expires-on } (less than { $days } days from now).
mail-expiring-action = Renew it and upload the new one under Documents in the Etalase back office so the products keep their legal badges.

mail-reset-subject = Reset your Etalase password
mail-reset-asked = Someone asked to reset the password of your Etalase account.
mail-reset-open = Open this link within an hour to choose a new password:
mail-reset-ignore = Ignore this email if it was not you.
mail-order-link-subject = Link to order { $code }
mail-order-link-body = Hello, { $name }. You (or someone) asked for the link to order { $code } again.
mail-order-link-ignore = Ignore this email if it was not you; the link is only ever sent to the buyer's email address.

# accounts
mail-invitation-subject = Invitation to an Etalase back-office account
mail-invitation-hello = Hello, { $name }. The Directorate's administrators invited you to an Etalase back-office account.
mail-invitation-open = Open this link to choose your password. It works until { $expires } and only once:
mail-invitation-ignore = Ignore this email if you do not know of this invitation; without a password the account cannot be used.

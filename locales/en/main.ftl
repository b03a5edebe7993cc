# Etalase — interface texts (English, second language).
# Keys must match locales/id/main.ftl exactly.

## Common and layout
site-tagline = Products from Indonesia's correctional workshops
skip-link = Skip to main content
nav-label = Product categories
nav-home = Home
search-label = Search products
search-placeholder = Search coffee, batik, crafts…
search-button = Search
lang-switch-label = Baca dalam Bahasa Indonesia
breadcrumb-label = Breadcrumb
footer-about-heading = About Etalase
footer-about = Products on Etalase are made in the workshops of correctional units (Lapas, Rutan and LPKA) under the Directorate General of Corrections (Ditjenpas). Every purchase supports the units' skills training programmes.
footer-privacy = To protect privacy we never show the names or faces of the people in the programmes. We show the work of the units' workshops.
opens-new-window = opens in a new window
empty-products = No products to show yet.

## Product and unit cards
product-count = { $count ->
    [one] { $count } product
   *[other] { $count } products
}
unit-count = { $count ->
    [one] { $count } unit
   *[other] { $count } units
}
stock-count = Stock: { $count }
stock-out = Sold out
card-badges-label = Legal documents

## Pagination
pagination-label = Pages
pagination-prev = Previous
pagination-next = Next
pagination-page = Page { $page }

## Home
home-meta-description = Shop batik, woven cloth, furniture, paintings, coffee, snacks, honey and soap made in the workshops of correctional units across Indonesia.
home-hero-title = Made in the correctional workshops of Indonesia
home-hero-lead = Batik, woven cloth, furniture, coffee and snacks from the workshops of Lapas, Rutan and LPKA units. Every purchase supports skills training.
stats-label = Etalase in numbers
stat-products = Products
stat-units = Correctional units
stat-provinces = Provinces
home-featured-heading = Featured products
home-categories-heading = Browse categories
home-units-heading = Correctional units
home-provinces-heading = Browse by province

## Category and sorting
results-count = { $count ->
    [one] { $count } product
   *[other] { $count } products
}
products-heading = Products
sort-label = Sort by
sort-apply = Apply
sort-popular = Most popular
sort-newest = Newest
sort-price-asc = Price: low to high
sort-price-desc = Price: high to low

## Product
gallery-label = Product photos
photo-none = No photo yet
product-maker-heading = Made by
unit-visit = See all products of this unit
legal-heading = Legal documents
legal-none = No verified legal documents yet.
legal-number = Number
legal-issuer = Issuer
legal-expires = Valid until
legal-no-expiry = No expiry
share-whatsapp = Share on WhatsApp
share-text = See { $name } ({ $price }) on Etalase: { $url }
product-description-heading = Description
product-specs-heading = Specifications
spec-category = Category
spec-weight = Weight
spec-dimensions = Dimensions
related-heading = Related products

## Unit
unit-story-heading = The workshop's story
unit-class = Class { $class }
unit-logo-alt = { $name } logo
unit-pickup-heading = Pickup address
unit-legal-heading = Business documents
unit-products-heading = Products of this unit

## Province
province-meta-description = Workshop products in { $province } from { $units ->
    [one] { $units } correctional unit.
   *[other] { $units } correctional units.
}
province-island = { $group } region
province-units-heading = Correctional units in { $province }
province-products-heading = Newest products
province-no-units = No units are selling in this province yet.

## Search
search-title = Search products
search-title-for = Search results for “{ $query }”
search-results-for = Search results for “{ $query }”
search-no-results = No products match. Try another word or browse these categories.

## Errors
error-home-link = Back to the home page
error-400-title = Bad request
error-400-body = We could not process the address or the form you sent. Please check it and try again.
error-404-title = Page not found
error-404-body = The page you are looking for was not found. The product may no longer be for sale, or the address may be mistyped.
error-500-title = Something went wrong
error-500-body = Sorry, our server ran into a problem. Please try again in a moment.

## Search
sort-relevance = Most relevant
facet-heading = Filter results
facet-category = Category
facet-certification = Legal documents
facet-province = Province
facet-unit = Maker unit
facet-price = Price
facet-price-min = Lowest price (Rp)
facet-price-max = Highest price (Rp)
facet-availability = Availability
facet-in-stock = In stock
facet-apply = Apply
facet-clear = Clear all filters
search-unavailable = Search is unavailable right now. The results below only match product names; try again shortly for full search.
search-did-you-mean = Did you mean
search-popular-categories = Browse categories
search-suggestions-label = Search suggestions

## Back office
staff-nav-label = Back-office menu
staff-dashboard = Dashboard
staff-review-desk = Review desk
staff-audit = Audit log
staff-logout = Sign out
staff-edit-unit = Edit unit profile and brand
staff-view-shop = View shop
staff-new-product = Add product
staff-edit-product = Edit product
staff-products = Unit products
staff-status = Status
staff-no-products = No products yet. Add your unit's first product.
staff-food-permit-missing = Food product without a verified PIRT/BPOM-MD or Halal document
staff-returned-because = Returned by the reviewer:
staff-submit-for-review = Submit for review
staff-archive = Archive
status-draft = Draft
status-submitted = Waiting for review
status-published = Published
status-returned = Returned
status-archived = Archived
login-title = Staff sign in
login-email = Email
login-password = Password
login-submit = Sign in
login-failed = Wrong email or password.
login-rate-limited = Too many sign-in attempts. Wait a moment and try again.
csrf-failed = This form has expired or is not valid. Reload the page and send it again.
forbidden-title = Access denied
forbidden-body = Your account may not open this page, or the form has expired. Reload the page and try again.
form-has-errors = Some fields need fixing. What you typed is kept in the form.
form-name = Product name
form-category = Category
form-description = Description
form-price = Price (Rp)
form-stock = Stock
form-weight = Weight (grams)
form-size = Package size (cm)
form-length = Length
form-width = Width
form-height = Height
form-save = Save
form-error-name = The product name must be 3–120 characters.
form-error-description = The description must be 10–5,000 characters.
form-error-category = Choose a category.
form-error-price = The price must be a rupiah amount above 0, for example 65000 or 65.000.
form-error-stock = Stock must be a whole number, 0 or more.
form-error-weight = Weight must be a whole number of grams, above 0 and at most 500,000 (500 kg).
form-error-size = Sizes must be whole centimetres, at most 300.
form-error-required = This field is required.
form-error-too-long = This field is too long.
form-error-email = Not a valid email address.
form-error-phone = A phone number may hold only digits, spaces, + and -.
flash-saved = Changes saved.
flash-saved-to-review = Changes saved. The product text changed, so it goes back to review before it shows again.
flash-submitted = Product submitted for review.
flash-archived = Product archived.
flash-approved = Product approved and published.
flash-returned = Product returned to the unit with your reason.
flash-not-allowed = That status change is not possible now.
review-waiting = Products waiting for review
review-unit = Unit
review-province = Province
review-empty = No products are waiting for review.
review-product-title = Review product
review-listing = Product details
review-documents = Legal documents
review-no-documents = No documents yet.
review-checklist = Checklist
review-check-people = No face or name of a resident is visible in the photos or the text
review-check-content = Name, description, price and photos match the product
review-check-documents = Legal documents match and are still valid
review-reason = Reason for returning (required when returning)
review-approve = Approve and publish
review-return = Return to the unit
review-checklist-incomplete = Tick every checklist item before approving.
review-reason-required = Write a reason so the unit knows what to fix.
doc-status-submitted = waiting for verification
doc-status-verified = verified
doc-status-rejected = rejected
doc-status-expired = expired
audit-when = When
audit-who = By
audit-what = Action
audit-before = Before
audit-after = After
unit-form-brand = Brand name
unit-form-story = Workshop story
unit-form-pickup = Pickup address
unit-form-phone = Phone
unit-form-email = Unit email
unit-form-error-brand = The brand name must be 2–80 characters.
unit-form-error-story = The story must be 20–5,000 characters.
unit-form-error-pickup = The pickup address must be 10–500 characters.
error-403-title = Access denied
error-429-title = Too many attempts
photos-heading = Product photos
photos-move-up = Move forward
photos-delete = Delete photo
photos-file = Photo (JPEG, PNG or WebP, at most { $mb } MB)
photos-alt = Photo description for screen readers (required)
photos-upload = Upload photo
flash-photo-added = Photo added. The GPS position and other data inside the file were removed.
image-error-empty = Choose a photo file first.
image-error-too-large = The file is too large. At most 10 MB.
image-error-not-image = This file is not a JPEG, PNG or WebP photo.
image-error-too-many-pixels = The photo has too many pixels (at most 40 megapixels).
image-error-corrupt = The photo file is damaged or cannot be read.
image-error-alt = Write a photo description (at least 3 characters).
documents-title = Legal documents
documents-list = Unit documents
documents-add = Add a document
documents-submit = Send for verification
document-kind = Document type
document-number = Number
document-issuer = Issuer
document-issued = Issue date
document-expires = Valid until (leave empty if none)
document-for = Applies to
document-whole-unit = The whole unit
document-scan = Document scan (PDF or photo, at most 10 MB)
document-error-kind = Choose a document type.
document-error-number = Write the document number (at least 3 characters).
document-error-issuer = Write who issued the document.
document-error-issued = The issue date must be a valid date, not in the future.
document-error-expires = The expiry date must be a valid date after the issue date.
document-error-product = Choose one of your unit's products.
document-error-scan = Attach the document scan.
document-error-scan-type = The scan must be a PDF, JPEG, PNG or WebP file.
flash-document-added = Document sent; it waits for a reviewer to verify it.
flash-document-verified = Document verified. Its badge now shows in the shop.
flash-document-rejected = Document rejected with your reason.
review-documents-waiting = Documents waiting for verification
review-no-documents-waiting = No documents are waiting for verification.
review-open-scan = Open the scan
review-verify = Verify
review-reject = Reject
import-title = Import products
import-intro = Upload a CSV file (UTF-8, separated by commas or semicolons) with the columns: { $columns }. The category may be given by its name or code. Products arrive as drafts.
import-template = Download the CSV template
import-file = CSV file
import-check = Check and import
import-report = Check report
import-line = Line
import-problems = Problems
import-nothing-yet = Nothing imported yet: { $bad } rows have problems, { $good } rows are right.
import-confirm = Import only the { $good } rows that are right
import-error-empty = The file is empty or holds no products.
import-error-encoding = The file is not UTF-8 text. Save it again from the spreadsheet as "CSV UTF-8".
import-error-columns = Required columns are missing:
import-error-too-many = The file is too large: at most 1,000 rows and 2 MB.
import-error-unreadable = The CSV file cannot be read.
import-error-row-unreadable = This row cannot be read (check the quotes).
flash-imported = Products imported as drafts. Add photos, then submit them for review.
reset-title = Reset password
reset-link = Forgot your password?
reset-send = Send a reset link
reset-sent = If that address is registered, we have sent a link to choose a new password. The link is valid for one hour.
reset-new-password = New password (at least 10 characters)
reset-new-password-again = New password again
reset-save = Save the new password
reset-again = Ask for a new link
reset-error-short = The password needs at least 10 characters.
reset-error-mismatch = The two passwords differ.
reset-error-token = This link is no longer valid (already used, or older than an hour).
flash-password-reset = New password saved. Please sign in.
unit-form-images = Logo and banner
unit-form-logo = Unit logo (JPEG, PNG or WebP)
unit-form-banner = Shop banner (JPEG, PNG or WebP, preferably wide)

## Cart
cart-title = Cart
cart-quantity = Quantity
cart-add = Add to cart
cart-update = Update
cart-remove = Remove
cart-subtotal = Subtotal
cart-total = Total (shipping not included)
cart-checkout = Go to checkout
cart-empty = Your cart is empty.
cart-added = Product added to your cart.
cart-updated = Cart updated.
cart-bad-quantity = The quantity must be a whole number, 1 or more.
cart-not-for-sale = This product is no longer for sale and was taken out of the cart.
cart-sold-out = This product is sold out.
cart-capped = Not enough stock; the quantity in your cart now matches the stock.
cart-stock-low = Only { $stock } left. Lower the quantity to continue.
cart-problems-excluded = Products with a problem are not counted and will not be ordered.

## Checkout and orders
checkout-title = Delivery details
checkout-step-1 = Step 1 of 2: contact and address
checkout-step-2 = Step 2 of 2: shipping per unit and payment
checkout-shipping-title = Shipping and payment
checkout-name = Full name
checkout-email = Email
checkout-phone = WhatsApp number
checkout-province = Province
checkout-city = City/regency
checkout-district = District
checkout-postal_code = Postal code
checkout-address = Full address (street, number, RT/RW)
checkout-next = Continue to shipping
checkout-change = Change
checkout-pickup = Pick up at the unit (free)
checkout-days = { $days } days
checkout-payment = Payment
checkout-bank-transfer = Bank transfer (confirmed by staff)
checkout-items-total = Products total
checkout-plus-shipping = plus the shipping you choose
checkout-place = Place order
checkout-error-name = Write your full name (2–100 characters).
checkout-error-phone = Write an Indonesian WhatsApp number, for example 0812 3456 7890.
checkout-error-province = Choose the destination province.
checkout-error-city = Write the city or regency.
checkout-error-district = Write the district.
checkout-error-postal = A postal code has 5 digits.
checkout-error-address = Write the full address (at least 10 characters).
checkout-cart-changed = Your cart changed (a product sold out or is no longer for sale). Check the cart, then continue.
checkout-bad-shipping = Choose how each unit ships.
checkout-stale = This form has expired. Check your choices and send it again.
order-title = Order { $code }
order-status-pending_payment = Waiting for payment.
order-status-paid = Payment received.
order-status-processing = Being prepared by the unit.
order-status-shipped = Shipped.
order-status-delivered = Delivered.
order-status-cancelled = Cancelled.
order-status-refunded = Refunded.
order-pay-heading = How to pay
order-pay-transfer = Transfer exactly { $total } to Bank BRI account 0000-01-000000-30-0 (Etalase Pemasyarakatan), reference { $code }, before { $expires }.
order-unique-code = The last three digits ({ $unique }) are a unique code so your transfer is recognised.
order-tracking = Tracking number:
order-shipping = Shipping
order-total = Total to pay
order-secret-link = Keep the link to this page to follow your order. Anyone holding the link can see the order.
orders-title = Unit orders
orders-items = Products value
orders-split = wages { $wage }, state revenue (PNBP) { $pnbp }, capital { $capital }
orders-tracking-label = Tracking number
orders-ship = Mark shipped
orders-shipped = Shipment marked shipped; the buyer gets the tracking number.
orders-error-tracking = Write a valid tracking number (at least 5 letters or digits).
orders-none = No orders for your unit yet.
shipment-status-waiting_payment = waiting for payment
shipment-status-processing = ready to prepare
shipment-status-shipped = shipped
shipment-status-cancelled = cancelled
payments-title = Confirm transfers
payments-order = Order
payments-buyer = Buyer
payments-confirm = Transfer received
payments-confirmed = Payment confirmed; the units can prepare the order.
payments-none = No orders are waiting for payment.
form-error-stock-changed = The stock changed because of orders since the form was opened. The current stock is filled in; check it and save again.
review-changed = The unit changed this product while you were reviewing it. Check the latest version below and decide again.
order-cancel = Cancel the order

## Fairs
fairs-title = Fairs
fairs-public-title = Fairs of correctional products
fairs-none = No fairs announced yet.
fairs-new = New fair
fairs-public-page = Public page
fairs-booths = Booths
fairs-booths-file = Booth plan (CSV with the columns { $columns }; positions and sizes in metres)
fairs-booths-upload = Upload the plan
fairs-booths-saved = Booth plan saved.
fairs-booths-refused = The plan was not saved; nothing changed:
fair-name = Fair name
fair-venue = Venue
fair-city = City
fair-starts = Starts
fair-ends = Ends
fair-opens = Applications open
fair-closes = Applications close
fair-description = Description
fair-plan = Plan of { $hall }
fair-booth-label = Booth { $code }, { $size }
fair-booth-kind = Type
fair-booth-fee = Fee
fair-status-draft = draft
fair-status-open = applications open
fair-status-closed = applications closed
fair-status-live = under way
fair-status-finished = finished
fair-to-open = Open applications
fair-to-closed = Close applications
fair-to-live = Start the fair
fair-to-finished = Finish the fair
booth-kind-standard = standard
booth-kind-corner = corner
booth-kind-food_power = food with power
fair-error-name = The fair name must be 3–120 characters.
fair-error-venue = Write the venue.
fair-error-city = Write the city.
fair-error-description = The description must be 10–5,000 characters.
fair-error-dates = The end date cannot be before the start date.
fair-error-window = Applications must open before they close, and close before the fair starts.
fair-error-booth-columns = The plan is missing columns.
fair-error-booth-code = A booth code is 2–12 letters, digits or dashes, such as A-01.
fair-error-booth-duplicate = This booth code is already used on another line.
fair-error-booth-kind = The booth type must be standard, corner or food_power.
fair-error-booth-numbers = Sizes, positions and fees must be sensible whole numbers.
fair-error-booth-overlap = This booth overlaps another booth in the same hall.

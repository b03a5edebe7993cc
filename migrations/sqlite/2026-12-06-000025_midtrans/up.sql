-- Midtrans charges: the channel the buyer chose (qris, bca, bni, bri, permata, mandiri, gopay)
-- and what the buyer does to pay it (the QRIS payload, the virtual account number, the bill
-- key, GoPay's deeplink) as JSON (`domain::midtrans::Instructions`). An order may have several
-- charges when the buyer changes the way to pay; each is its own row and reference.
ALTER TABLE payments ADD COLUMN channel TEXT;
ALTER TABLE payments ADD COLUMN details TEXT;

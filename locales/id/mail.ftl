## Surat: templates/emails/<jenis>/{subject.txt, body.txt}

mail-follow-order = Ikuti pesanan Anda di { $link }

mail-order-received-subject = Pesanan { $code } kami terima
mail-order-received-thanks = Terima kasih, { $name }.
mail-order-received-heading = Pesanan { $code }:
mail-order-received-transfer = Transfer tepat { $total } ke rekening Bank { $bank } { $account } a.n. { $holder }, berita { $code }, sebelum { $expires }.
mail-order-received-card = Bayar { $total } dengan kartu di { $link } sebelum { $expires }.
mail-order-received-online = Bayar { $total } dengan QRIS, virtual account bank, atau GoPay di { $link } sebelum { $expires }.

mail-new-order-subject = Pesanan baru { $code }
mail-new-order-heading = Pesanan baru { $code } untuk unit Anda:
mail-new-order-shipping = Pengiriman: { $shipping }. Siapkan setelah pembayaran dikonfirmasi.

mail-order-paid-subject = Pembayaran pesanan { $code } diterima
mail-order-paid-body = Terima kasih, { $name }. Pembayaran pesanan { $code } sudah kami terima; unit pembuat sedang menyiapkan pesanan Anda.

mail-shipped-subject-only = Pesanan { $code } dikirim
mail-shipped-subject-last = Pesanan { $code } dikirim seluruhnya
mail-shipped-subject-part = Sebagian pesanan { $code } dikirim
mail-shipped-what-only = pesanan { $code }
mail-shipped-what-last = paket terakhir pesanan { $code }
mail-shipped-what-part = sebagian pesanan { $code }
mail-shipped-body = Halo { $name }, { $what } sudah dikirim dengan { $label }. Nomor resi: { $tracking }.
mail-shipped-rest-all = Seluruh pesanan Anda kini dalam perjalanan.
mail-shipped-rest-part = Bagian lainnya masih disiapkan unit; kami kabari lagi saat dikirim.

mail-refunded-subject = Dana pesanan { $code } dikembalikan
mail-refunded-body = Halo { $name }, pembayaran pesanan { $code } sudah kami kembalikan. Dana kembali ke rekening atau kartu Anda dalam beberapa hari kerja.

mail-fair-subject = Keputusan pameran { $event }
mail-fair-approved = Lamaran Anda untuk { $event } disetujui. Stan Anda: { $note }.
mail-fair-waitlisted = Lamaran Anda untuk { $event } masuk daftar tunggu.
mail-fair-rejected = Lamaran Anda untuk { $event } ditolak. Alasan: { $note }

mail-expiring-subject = Dokumen { $kind } akan kedaluwarsa pada { $expires-on }
mail-expiring-body = Dokumen { $kind } nomor { $number } milik unit Anda berlaku sampai { $expires-on } (kurang dari { $days } hari lagi).
mail-expiring-action = Perpanjang dokumen ini lalu unggah yang baru di menu Dokumen pada halaman kelola Etalase, agar lencana legalitas produk tetap tampil.

mail-reset-subject = Atur ulang kata sandi Etalase
mail-reset-asked = Seseorang meminta atur ulang kata sandi akun Etalase Anda.
mail-reset-open = Buka tautan ini dalam satu jam untuk membuat kata sandi baru:
mail-reset-ignore = Abaikan email ini jika bukan Anda yang meminta.
mail-order-link-subject = Tautan pesanan { $code }
mail-order-link-body = Halo, { $name }. Anda (atau seseorang) meminta tautan pesanan { $code } dikirim ulang.
mail-order-link-ignore = Abaikan email ini jika bukan Anda yang meminta; tautan hanya dikirim ke alamat email pemesan.

# accounts
mail-invitation-subject = Undangan membuat akun pengelola Etalase
mail-invitation-hello = Halo, { $name }. Administrator Direktorat mengundang Anda membuat akun pengelola Etalase.
mail-invitation-open = Buka tautan ini untuk membuat kata sandi Anda. Tautan berlaku sampai { $expires } dan hanya dapat dipakai sekali:
mail-invitation-ignore = Abaikan email ini jika Anda tidak mengenal undangan ini; tanpa kata sandi akun tidak dapat dipakai.

# Etalase — teks antarmuka (Bahasa Indonesia, bahasa utama).
# Kunci harus sama persis dengan locales/en/main.ftl.

## Umum dan tata letak
site-tagline = Produk bengkel kerja pemasyarakatan Indonesia
skip-link = Langsung ke konten utama
nav-label = Kategori produk
nav-home = Beranda
search-label = Cari produk
search-placeholder = Cari kopi, batik, kerajinan…
search-button = Cari
lang-switch-label = Read in English
breadcrumb-label = Lokasi halaman
footer-about-heading = Tentang Etalase
footer-about = Produk di Etalase dibuat di bengkel kerja Lapas, Rutan, dan LPKA di bawah Direktorat Jenderal Pemasyarakatan (Ditjenpas). Setiap pembelian mendukung program pelatihan keterampilan di unit tersebut.
footer-privacy = Demi menjaga privasi, kami tidak menampilkan nama atau wajah warga binaan. Yang kami tampilkan adalah karya bengkel kerja unit.
opens-new-window = membuka jendela baru
empty-products = Belum ada produk untuk ditampilkan.

## Kartu produk dan unit
product-count = { $count } produk
unit-count = { $count } unit
stock-count = Stok: { $count }
stock-out = Habis
card-badges-label = Legalitas

## Halaman (paginasi)
pagination-label = Halaman
pagination-prev = Sebelumnya
pagination-next = Berikutnya
pagination-page = Halaman { $page }

## Beranda
home-meta-description = Belanja batik, tenun, mebel, lukisan, kopi, camilan, madu, dan sabun buatan bengkel kerja Lapas, Rutan, dan LPKA di seluruh Indonesia.
home-hero-title = Karya bengkel kerja pemasyarakatan dari seluruh Indonesia
home-hero-lead = Batik, tenun, mebel, kopi, dan camilan buatan bengkel kerja Lapas, Rutan, dan LPKA. Setiap pembelian mendukung program pelatihan keterampilan.
stats-label = Etalase dalam angka
stat-products = Produk
stat-units = Unit pemasyarakatan
stat-provinces = Provinsi
home-featured-heading = Produk pilihan
home-categories-heading = Jelajahi kategori
home-units-heading = Unit pemasyarakatan
home-provinces-heading = Cari menurut provinsi

## Kategori dan urutan
results-count = { $count } produk
products-heading = Daftar produk
sort-label = Urutkan
sort-apply = Terapkan
sort-popular = Terpopuler
sort-newest = Terbaru
sort-price-asc = Harga terendah
sort-price-desc = Harga tertinggi

## Produk
gallery-label = Foto produk
photo-none = Belum ada foto
product-maker-heading = Dibuat oleh
unit-visit = Lihat semua produk unit ini
legal-heading = Legalitas produk
legal-none = Belum ada dokumen legalitas terverifikasi.
legal-number = Nomor
legal-issuer = Penerbit
legal-expires = Berlaku hingga
legal-no-expiry = Tanpa batas waktu
share-whatsapp = Bagikan lewat WhatsApp
share-text = Lihat { $name } ({ $price }) di Etalase: { $url }
product-description-heading = Deskripsi
product-specs-heading = Spesifikasi
spec-category = Kategori
spec-weight = Berat
spec-dimensions = Dimensi
related-heading = Produk terkait

## Unit
unit-story-heading = Cerita bengkel kerja
unit-class = Kelas { $class }
unit-logo-alt = Logo { $name }
unit-pickup-heading = Alamat pengambilan
unit-legal-heading = Legalitas usaha
unit-products-heading = Produk unit ini

## Provinsi
province-meta-description = Produk bengkel kerja dari { $units } unit pemasyarakatan di { $province }.
province-island = Wilayah { $group }
province-units-heading = Unit pemasyarakatan di { $province }
province-products-heading = Produk terbaru
province-no-units = Belum ada unit yang berjualan di provinsi ini.

## Pencarian
search-title = Cari produk
search-title-for = Hasil pencarian “{ $query }”
search-results-for = Hasil pencarian “{ $query }”
search-no-results = Tidak ada produk yang cocok. Coba kata lain atau jelajahi kategori berikut.

## Galat
error-home-link = Kembali ke beranda
error-400-title = Permintaan tidak valid
error-400-body = Alamat atau isian yang dikirim tidak dapat kami proses. Periksa kembali lalu coba lagi.
error-404-title = Halaman tidak ditemukan
error-404-body = Halaman yang Anda cari tidak ditemukan. Mungkin produknya sudah tidak dijual atau alamatnya salah ketik.
error-500-title = Terjadi kesalahan
error-500-body = Maaf, ada gangguan di server kami. Silakan coba beberapa saat lagi.

## Search
sort-relevance = Paling relevan
facet-heading = Saring hasil
facet-category = Kategori
facet-certification = Legalitas
facet-province = Provinsi
facet-unit = Unit pembuat
facet-price = Harga
facet-price-min = Harga terendah (Rp)
facet-price-max = Harga tertinggi (Rp)
facet-availability = Ketersediaan
facet-in-stock = Stok tersedia
facet-apply = Terapkan
facet-clear = Hapus semua saringan
search-unavailable = Mesin pencari sedang tidak tersedia. Hasil di bawah hanya mencocokkan nama produk; coba lagi sebentar lagi untuk pencarian lengkap.
search-did-you-mean = Mungkin yang Anda maksud
search-popular-categories = Jelajahi kategori
search-suggestions-label = Saran pencarian

## Back office
staff-nav-label = Menu pengelola
staff-dashboard = Dasbor
staff-review-desk = Meja tinjauan
staff-audit = Log audit
staff-logout = Keluar
staff-edit-unit = Ubah profil dan merek unit
staff-view-shop = Lihat toko
staff-new-product = Tambah produk
staff-edit-product = Ubah produk
staff-products = Produk unit
staff-status = Status
staff-no-products = Belum ada produk. Tambahkan produk pertama unit Anda.
staff-food-permit-missing = Produk pangan tanpa izin PIRT/BPOM-MD atau Halal yang terverifikasi
staff-returned-because = Dikembalikan peninjau:
staff-submit-for-review = Ajukan untuk ditinjau
staff-archive = Arsipkan
status-draft = Draf
status-submitted = Menunggu tinjauan
status-published = Tayang
status-returned = Dikembalikan
status-archived = Diarsipkan
login-title = Masuk pengelola
login-email = Email
login-password = Kata sandi
login-submit = Masuk
login-failed = Email atau kata sandi salah.
login-rate-limited = Terlalu banyak percobaan masuk. Tunggu sebentar lalu coba lagi.
csrf-failed = Formulir ini sudah kedaluwarsa atau tidak sah. Muat ulang halaman lalu kirim lagi.
forbidden-title = Akses ditolak
forbidden-body = Akun Anda tidak berwenang membuka halaman ini, atau formulir sudah kedaluwarsa. Muat ulang halaman lalu coba lagi.
form-has-errors = Ada isian yang perlu diperbaiki. Isian Anda tetap tersimpan di formulir.
form-name = Nama produk
form-category = Kategori
form-description = Deskripsi
form-price = Harga (Rp)
form-stock = Stok
form-weight = Berat (gram)
form-size = Ukuran kemasan (cm)
form-length = Panjang
form-width = Lebar
form-height = Tinggi
form-save = Simpan
form-error-name = Nama produk harus 3–120 karakter.
form-error-description = Deskripsi harus 10–5.000 karakter.
form-error-category = Pilih kategori.
form-error-price = Harga harus berupa angka rupiah lebih dari 0, misalnya 65000 atau 65.000.
form-error-stock = Stok harus berupa bilangan bulat 0 atau lebih.
form-error-weight = Berat harus berupa bilangan bulat gram lebih dari 0.
form-error-size = Ukuran harus berupa bilangan bulat sentimeter.
form-error-required = Isian ini wajib diisi.
form-error-too-long = Isian ini terlalu panjang.
form-error-email = Alamat email tidak sah.
form-error-phone = Nomor telepon hanya boleh berisi angka, spasi, + dan -.
flash-saved = Perubahan disimpan.
flash-saved-to-review = Perubahan disimpan. Karena teks produk berubah, produk kembali ditinjau sebelum tayang.
flash-submitted = Produk diajukan untuk ditinjau.
flash-archived = Produk diarsipkan.
flash-approved = Produk disetujui dan tayang.
flash-returned = Produk dikembalikan ke unit dengan alasan Anda.
flash-not-allowed = Perubahan status itu tidak bisa dilakukan sekarang.
review-waiting = Produk menunggu tinjauan
review-unit = Unit
review-province = Provinsi
review-empty = Tidak ada produk yang menunggu tinjauan.
review-product-title = Tinjau produk
review-listing = Data produk
review-documents = Dokumen legalitas
review-no-documents = Belum ada dokumen.
review-checklist = Daftar periksa
review-check-people = Tidak ada wajah atau nama warga binaan yang terlihat di foto maupun teks
review-check-content = Nama, deskripsi, harga dan foto sesuai dengan produk
review-check-documents = Dokumen legalitas sesuai dan masih berlaku
review-reason = Alasan pengembalian (wajib jika dikembalikan)
review-approve = Setujui dan tayangkan
review-return = Kembalikan ke unit
review-checklist-incomplete = Centang semua butir daftar periksa sebelum menyetujui.
review-reason-required = Tulis alasan agar unit tahu apa yang harus diperbaiki.
doc-status-submitted = menunggu verifikasi
doc-status-verified = terverifikasi
doc-status-rejected = ditolak
doc-status-expired = kedaluwarsa
audit-when = Waktu
audit-who = Oleh
audit-what = Tindakan
audit-before = Sebelum
audit-after = Sesudah
unit-form-brand = Nama merek
unit-form-story = Cerita bengkel kerja
unit-form-pickup = Alamat pengambilan
unit-form-phone = Telepon
unit-form-email = Email unit
unit-form-error-brand = Nama merek harus 2–80 karakter.
unit-form-error-story = Cerita harus 20–5.000 karakter.
unit-form-error-pickup = Alamat pengambilan harus 10–500 karakter.
error-403-title = Akses ditolak
error-429-title = Terlalu banyak percobaan
photos-heading = Foto produk
photos-move-up = Pindah ke depan
photos-delete = Hapus foto
photos-file = Foto (JPEG, PNG atau WebP, paling besar { $mb } MB)
photos-alt = Keterangan foto untuk pembaca layar (wajib)
photos-upload = Unggah foto
flash-photo-added = Foto ditambahkan. Lokasi GPS dan data lain di dalam berkas sudah dibuang.
image-error-empty = Pilih berkas foto terlebih dahulu.
image-error-too-large = Berkas terlalu besar. Paling besar 10 MB.
image-error-not-image = Berkas ini bukan foto JPEG, PNG atau WebP.
image-error-too-many-pixels = Foto terlalu besar ukurannya (paling banyak 40 megapiksel).
image-error-corrupt = Berkas foto rusak atau tidak dapat dibaca.
image-error-alt = Tulis keterangan foto (paling sedikit 3 karakter).
documents-title = Dokumen legalitas
documents-list = Dokumen unit
documents-add = Tambah dokumen
documents-submit = Kirim untuk diverifikasi
document-kind = Jenis dokumen
document-number = Nomor
document-issuer = Penerbit
document-issued = Tanggal terbit
document-expires = Berlaku sampai (kosongkan jika tidak ada)
document-for = Berlaku untuk
document-whole-unit = Seluruh unit
document-scan = Pindaian dokumen (PDF atau foto, paling besar 10 MB)
document-error-kind = Pilih jenis dokumen.
document-error-number = Tulis nomor dokumen (paling sedikit 3 karakter).
document-error-issuer = Tulis penerbit dokumen.
document-error-issued = Tanggal terbit harus tanggal yang sah dan tidak di masa depan.
document-error-expires = Tanggal berlaku harus tanggal yang sah setelah tanggal terbit.
document-error-product = Pilih produk milik unit Anda.
document-error-scan = Lampirkan pindaian dokumen.
document-error-scan-type = Pindaian harus berupa PDF, JPEG, PNG atau WebP.
flash-document-added = Dokumen dikirim dan menunggu verifikasi peninjau.
flash-document-verified = Dokumen diverifikasi. Lencananya tampil di toko.
flash-document-rejected = Dokumen ditolak dengan alasan Anda.
review-documents-waiting = Dokumen menunggu verifikasi
review-no-documents-waiting = Tidak ada dokumen yang menunggu verifikasi.
review-open-scan = Buka pindaian
review-verify = Verifikasi
review-reject = Tolak

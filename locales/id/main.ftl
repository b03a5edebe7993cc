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

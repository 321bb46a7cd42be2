"""Banjarmasin's departments and service catalogue as seed data (loaded by ``manage.py seed_city``).

SLA days follow SP4N-LAPOR! practice (verify within 3 working days, follow up
within 5), shortened for emergencies and lengthened for works that need a budget.
"""

DEPARTMENTS = [
    # code, full name, short name, email, is_triage
    ("pupr", "Dinas Pekerjaan Umum dan Penataan Ruang", "Dinas PUPR", "pupr@banjarmasinkota.go.id", False),
    ("dlh", "Dinas Lingkungan Hidup", "DLH", "dlh@banjarmasinkota.go.id", False),
    ("dishub", "Dinas Perhubungan", "Dishub", "dishub@banjarmasinkota.go.id", False),
    ("disdukcapil", "Dinas Kependudukan dan Pencatatan Sipil", "Disdukcapil", "disdukcapil@banjarmasinkota.go.id", False),
    ("dinkes", "Dinas Kesehatan", "Dinkes", "dinkes@banjarmasinkota.go.id", False),
    ("disdik", "Dinas Pendidikan", "Disdik", "disdik@banjarmasinkota.go.id", False),
    ("dinsos", "Dinas Sosial", "Dinsos", "dinsos@banjarmasinkota.go.id", False),
    ("perkim", "Dinas Perumahan Rakyat dan Kawasan Permukiman", "Perkim", "perkim@banjarmasinkota.go.id", False),
    ("satpolpp", "Satuan Polisi Pamong Praja", "Satpol PP", "satpolpp@banjarmasinkota.go.id", False),
    ("bpbd", "Badan Penanggulangan Bencana Daerah", "BPBD", "bpbd@banjarmasinkota.go.id", False),
    ("damkar", "Dinas Pemadam Kebakaran dan Penyelamatan", "Damkar", "damkar@banjarmasinkota.go.id", False),
    ("diskominfotik", "Dinas Komunikasi, Informatika dan Statistik", "Diskominfotik", "diskominfotik@banjarmasinkota.go.id", True),
    ("bappeda", "Badan Perencanaan Pembangunan Daerah, Penelitian dan Pengembangan", "Bappeda", "bappeda@banjarmasinkota.go.id", False),
    ("bpkpad", "Badan Pengelolaan Keuangan, Pendapatan dan Aset Daerah", "BPKPAD", "bpkpad@banjarmasinkota.go.id", False),
    ("inspektorat", "Inspektorat Daerah", "Inspektorat", "inspektorat@banjarmasinkota.go.id", False),
    ("pdam", "PT Air Minum Bandarmasih (Perseroda)", "PDAM Bandarmasih", "pengaduan@pdambandarmasih.co.id", False),
    ("dkp3", "Dinas Ketahanan Pangan, Pertanian dan Perikanan", "DKP3", "dkp3@banjarmasinkota.go.id", False),
    ("dpmptsp", "Dinas Penanaman Modal dan Pelayanan Terpadu Satu Pintu", "DPMPTSP", "dpmptsp@banjarmasinkota.go.id", False),
]

GROUP_INFRA = "Jalan, jembatan dan drainase"
GROUP_ENV = "Kebersihan dan lingkungan"
GROUP_TRANSPORT = "Perhubungan dan lalu lintas"
GROUP_WATER = "Air bersih"
GROUP_ORDER = "Ketertiban umum"
GROUP_DISASTER = "Bencana dan kebakaran"
GROUP_DOCS = "Administrasi kependudukan"
GROUP_HEALTH = "Kesehatan"
GROUP_EDU = "Pendidikan"
GROUP_SOCIAL = "Sosial"
GROUP_HOUSING = "Perumahan dan permukiman"
GROUP_OTHER = "Lainnya"

# The groups' English names, shown to visitors who read the portal in English.
GROUP_EN = {
    GROUP_INFRA: "Roads, bridges and drainage",
    GROUP_ENV: "Cleanliness and environment",
    GROUP_TRANSPORT: "Transport and traffic",
    GROUP_WATER: "Clean water",
    GROUP_ORDER: "Public order",
    GROUP_DISASTER: "Disasters and fires",
    GROUP_DOCS: "Civil registration",
    GROUP_HEALTH: "Health",
    GROUP_EDU: "Education",
    GROUP_SOCIAL: "Social affairs",
    GROUP_HOUSING: "Housing and settlements",
    GROUP_OTHER: "Other",
}

# code, name_id, name_en, group, kind, department, response days, resolution days, priority (1-4), keywords, description_id
SERVICES = [
    ("jalan-rusak", "Jalan rusak atau berlubang", "Damaged or potholed road", GROUP_INFRA, "complaint", "pupr", 3, 10, 2,
     "jalan rusak, jalan berlubang, lubang, aspal, pothole, road damage, jalan amblas, road", "Kerusakan jalan kota, lubang, aspal mengelupas atau jalan amblas."),
    ("jembatan-rusak", "Jembatan atau titian rusak", "Damaged bridge or footbridge", GROUP_INFRA, "complaint", "pupr", 2, 15, 3,
     "jembatan, titian, bridge, footbridge, jembatan rusak, kayu lapuk", "Jembatan, titian ulin atau jembatan gantung yang rusak atau membahayakan."),
    ("drainase-tersumbat", "Drainase atau saluran tersumbat", "Blocked drain or culvert", GROUP_INFRA, "complaint", "pupr", 3, 7, 2,
     "drainase, saluran, got, gorong-gorong, tersumbat, mampet, drain, culvert, blocked drain", "Saluran air, got atau gorong-gorong yang tersumbat."),
    ("genangan-banjir", "Genangan air atau banjir", "Flooding or standing water", GROUP_INFRA, "complaint", "pupr", 1, 5, 3,
     "banjir, genangan, tergenang, air pasang, rob, flood, flooding, standing water", "Genangan atau banjir di jalan dan permukiman, termasuk banjir rob."),
    ("trotoar-rusak", "Trotoar rusak", "Damaged sidewalk", GROUP_INFRA, "complaint", "pupr", 3, 15, 1,
     "trotoar, pedestrian, sidewalk, pavement, paving", "Trotoar atau jalur pejalan kaki yang rusak."),
    ("sungai-kotor", "Sungai atau siring kotor dan eceng gondok", "Polluted river or water hyacinth", GROUP_ENV, "complaint", "pupr", 3, 10, 2,
     "sungai, siring, eceng gondok, river, water hyacinth, sungai kotor, sampah sungai", "Sampah dan eceng gondok di sungai atau siring kota."),
    ("sampah-menumpuk", "Sampah tidak diangkut atau menumpuk", "Uncollected or piled-up waste", GROUP_ENV, "complaint", "dlh", 2, 3, 2,
     "sampah, menumpuk, tidak diangkut, tps, bau sampah, waste, garbage, rubbish, trash, uncollected", "Sampah rumah tangga yang tidak diangkut atau menumpuk di TPS/jalan."),
    ("tps-liar", "Tempat pembuangan sampah liar", "Illegal dumping site", GROUP_ENV, "complaint", "dlh", 3, 7, 2,
     "tps liar, buang sampah sembarangan, illegal dumping, dumping", "Pembuangan sampah liar di lahan kosong, pinggir jalan atau sungai."),
    ("pencemaran", "Pencemaran air, udara atau limbah", "Water, air or waste pollution", GROUP_ENV, "complaint", "dlh", 3, 10, 3,
     "pencemaran, limbah, asap, bau, polusi, pollution, smoke, sewage, effluent", "Limbah usaha, asap, bau menyengat atau pencemaran sungai."),
    ("pohon-tumbang", "Pohon tumbang atau rawan tumbang", "Fallen or dangerous tree", GROUP_ENV, "complaint", "dlh", 1, 3, 3,
     "pohon tumbang, pohon, dahan, ranting, tree, fallen tree, branch, pangkas", "Pohon tumbang atau dahan rawan patah di jalan dan taman."),
    ("taman-rusak", "Taman kota atau RTH rusak", "Damaged park or green space", GROUP_ENV, "complaint", "dlh", 3, 15, 1,
     "taman, rth, park, green space, bangku taman", "Kerusakan fasilitas taman kota atau ruang terbuka hijau."),
    ("pju-mati", "Lampu penerangan jalan mati", "Broken street light", GROUP_TRANSPORT, "complaint", "dishub", 3, 7, 2,
     "lampu jalan, pju, lampu mati, gelap, street light, streetlight, lamp", "Lampu penerangan jalan umum (PJU) mati atau berkedip."),
    ("lampu-lalu-lintas", "Lampu lalu lintas rusak", "Broken traffic light", GROUP_TRANSPORT, "complaint", "dishub", 1, 3, 3,
     "lampu merah, traffic light, apill, lampu lalu lintas, signal", "Lampu pengatur lalu lintas (APILL) mati atau tidak berfungsi."),
    ("parkir-liar", "Parkir liar", "Illegal parking", GROUP_TRANSPORT, "complaint", "dishub", 2, 5, 2,
     "parkir liar, juru parkir, parkir sembarangan, illegal parking, parking", "Parkir di badan jalan atau trotoar dan juru parkir liar."),
    ("rambu-rusak", "Rambu atau marka jalan rusak", "Damaged road sign or marking", GROUP_TRANSPORT, "complaint", "dishub", 3, 10, 1,
     "rambu, marka, road sign, marking, zebra cross", "Rambu lalu lintas hilang atau marka jalan pudar."),
    ("angkutan-umum", "Keluhan angkutan umum", "Public transport complaint", GROUP_TRANSPORT, "complaint", "dishub", 3, 10, 1,
     "angkot, bus, taksi kuning, klotok, transport, public transport, halte", "Keluhan angkutan kota, bus, klotok atau halte."),
    ("air-mati", "Air PDAM tidak mengalir", "Clean water outage", GROUP_WATER, "complaint", "pdam", 1, 3, 3,
     "air mati, air tidak mengalir, pdam, air bersih, water outage, no water, tap water", "Air PDAM mati, kecil atau tidak mengalir."),
    ("pipa-bocor", "Pipa air bocor", "Leaking water pipe", GROUP_WATER, "complaint", "pdam", 1, 3, 3,
     "pipa bocor, kebocoran, pipa pecah, leak, leaking pipe, burst pipe", "Kebocoran pipa distribusi air PDAM."),
    ("kualitas-air", "Air keruh atau berbau", "Dirty or smelly tap water", GROUP_WATER, "complaint", "pdam", 2, 5, 2,
     "air keruh, air bau, kualitas air, dirty water, murky water", "Air PDAM keruh, berwarna atau berbau."),
    ("bangunan-liar", "Bangunan tanpa izin (PBG)", "Unlicensed building", GROUP_ORDER, "complaint", "satpolpp", 3, 15, 1,
     "bangunan liar, tanpa izin, imb, pbg, unlicensed building, illegal building", "Bangunan tanpa Persetujuan Bangunan Gedung atau di sempadan sungai."),
    ("pkl-liar", "Pedagang kaki lima mengganggu", "Street vendors blocking the way", GROUP_ORDER, "complaint", "satpolpp", 3, 7, 1,
     "pkl, pedagang kaki lima, lapak, street vendor, hawker", "Pedagang kaki lima yang menutup jalan atau trotoar."),
    ("kebisingan", "Kebisingan dan gangguan ketertiban", "Noise and public disturbance", GROUP_ORDER, "complaint", "satpolpp", 2, 5, 1,
     "bising, kebisingan, berisik, noise, loud music, karaoke, balap liar", "Kebisingan, balap liar atau gangguan ketertiban lain."),
    ("hewan-liar", "Hewan liar atau terlantar", "Stray or wild animals", GROUP_ORDER, "complaint", "dkp3", 3, 7, 1,
     "anjing liar, kucing liar, hewan liar, stray dog, stray animal, rabies, ular", "Anjing atau hewan liar, hewan terlantar, dugaan rabies."),
    ("kebakaran", "Kebakaran atau bahaya api", "Fire or fire hazard", GROUP_DISASTER, "complaint", "damkar", 1, 1, 4,
     "kebakaran, api, terbakar, asap tebal, fire, burning, hydrant", "Kebakaran, bahaya kebakaran atau hidran rusak. Darurat: hubungi 112."),
    ("bencana", "Bencana dan tanah longsor atau turap runtuh", "Disaster, landslide or collapsed embankment", GROUP_DISASTER, "complaint", "bpbd", 1, 3, 4,
     "bencana, longsor, turap runtuh, angin puting beliung, disaster, landslide, storm", "Turap runtuh, angin puting beliung dan kejadian bencana lain."),
    ("ktp-el", "Masalah KTP-el", "Electronic ID card (KTP-el) problem", GROUP_DOCS, "request", "disdukcapil", 3, 10, 2,
     "ktp, ktp-el, e-ktp, kartu tanda penduduk, id card, blangko", "KTP-el belum jadi, rusak, salah data atau blangko habis."),
    ("kartu-keluarga", "Masalah Kartu Keluarga (KK)", "Family card (KK) problem", GROUP_DOCS, "request", "disdukcapil", 3, 10, 2,
     "kk, kartu keluarga, family card, pecah kk", "Penerbitan atau perubahan Kartu Keluarga yang bermasalah."),
    ("akta", "Masalah akta kelahiran atau kematian", "Birth or death certificate problem", GROUP_DOCS, "request", "disdukcapil", 3, 10, 2,
     "akta kelahiran, akta kematian, akte, birth certificate, death certificate", "Akta kelahiran, kematian atau pencatatan sipil lain."),
    ("layanan-puskesmas", "Keluhan layanan puskesmas atau rumah sakit", "Health service complaint", GROUP_HEALTH, "complaint", "dinkes", 2, 10, 2,
     "puskesmas, rumah sakit, rsud, dokter, bidan, obat, antri, health, clinic, hospital", "Pelayanan puskesmas, RSUD Sultan Suriansyah, dokter atau obat."),
    ("demam-berdarah", "Sarang nyamuk dan demam berdarah (fogging)", "Dengue and mosquito breeding (fogging)", GROUP_HEALTH, "request", "dinkes", 2, 5, 3,
     "dbd, demam berdarah, nyamuk, fogging, jentik, dengue, mosquito", "Kasus DBD di lingkungan, permintaan fogging atau PSN."),
    ("sekolah", "Keluhan sekolah (SD/SMP)", "School complaint (primary/junior high)", GROUP_EDU, "complaint", "disdik", 3, 10, 2,
     "sekolah, sd, smp, guru, ppdb, pungutan, zonasi, school, teacher", "PPDB, pungutan, fasilitas atau layanan SD/SMP negeri."),
    ("bansos", "Bantuan sosial tidak tepat sasaran", "Social aid complaint", GROUP_SOCIAL, "complaint", "dinsos", 3, 10, 2,
     "bansos, bantuan sosial, pkh, bpnt, dtks, blt, social aid, welfare", "Bantuan sosial (PKH, BPNT, DTKS) tidak diterima atau tidak tepat sasaran."),
    ("odgj-terlantar", "Orang terlantar atau ODGJ di jalan", "Homeless or neglected person", GROUP_SOCIAL, "request", "dinsos", 1, 5, 3,
     "terlantar, gelandangan, pengemis, odgj, anak jalanan, homeless, beggar", "Orang terlantar, gelandangan, pengemis atau ODGJ di ruang publik."),
    ("rumah-tidak-layak", "Rumah tidak layak huni", "Uninhabitable house", GROUP_HOUSING, "request", "perkim", 5, 30, 1,
     "rumah tidak layak huni, rtlh, bedah rumah, uninhabitable house, house repair", "Usulan bantuan Rumah Tidak Layak Huni (RTLH)."),
    ("psu-permukiman", "Prasarana lingkungan permukiman (jalan lingkungan, MCK)", "Neighbourhood infrastructure (alleys, latrines)", GROUP_HOUSING, "complaint", "perkim", 3, 20, 1,
     "jalan lingkungan, gang, mck, jamban, sanitasi, alley, latrine, sanitation", "Jalan gang, MCK umum atau sanitasi di permukiman."),
    ("perizinan", "Layanan perizinan", "Permit service", GROUP_OTHER, "request", "dpmptsp", 3, 10, 1,
     "izin, perizinan, nib, oss, permit, license, izin usaha", "Keluhan atau pertanyaan layanan perizinan (NIB, PBG, izin usaha)."),
    ("layanan-digital", "Aplikasi atau layanan digital kota", "City apps and digital services", GROUP_OTHER, "complaint", "diskominfotik", 3, 7, 1,
     "aplikasi, website, wifi publik, cctv, app, website, internet", "Gangguan aplikasi, situs web, wifi publik atau CCTV kota."),
]

# Who may see a report of these services unless the citizen chooses otherwise (Service.default_privacy); every other
# service is public. Protection by default (UU 27/2022, the processing principles of Pasal 16): these reports are
# about a person's health or finances (specific personal data under Pasal 4 ayat (2): who is ill, who receives or
# needs social aid, a household's poverty) or civil records (NIK, family card, birth and death: UU Adminduk), often
# about someone other than the reporter (a neighbour's mental illness, with an exact pin). Confidential: only the
# department handling it and the inspectorate see it. Dengue reports stay public: they are about mosquito
# breeding places and fogging in a neighbourhood, which neighbours should see and support; school complaints are
# about schools. No child or violence protection service is in the catalogue yet: one added should be confidential.
DEFAULT_PRIVACY = {
    "ktp-el": "confidential",
    "kartu-keluarga": "confidential",
    "akta": "confidential",
    "layanan-puskesmas": "confidential",
    "bansos": "confidential",
    "odgj-terlantar": "confidential",
    "rumah-tidak-layak": "confidential",
}

# Services whose reports are often about a danger right now: picking one raises the filing form's emergency notice
# ("call 112", complaints/emergency.py). Codes, not a database flag: no migration, and a city's own services can be
# added here. Flooding is not among them (mostly standing water); its dangerous cases are caught by the danger words.
EMERGENCY_SERVICES = ("kebakaran", "bencana", "pohon-tumbang")

# English descriptions that say more than the English name (the others are the name and a full stop): the fire
# service's emergency line must survive in English.
DESCRIPTION_EN = {
    "kebakaran": "Fire, fire hazard or broken hydrant. Emergency: call 112.",
}

# Extra questions (Open311 attributes) for some services.
ATTRIBUTES = {
    "jalan-rusak": [
        {"code": "ukuran", "datatype": "singlevaluelist", "required": True, "order": 1,
         "description": "Seberapa besar kerusakannya?", "description_en": "How big is the damage?",
         "values": [{"key": "kecil", "name": "Kecil (< 1 m)", "name_en": "Small (< 1 m)"},
                    {"key": "sedang", "name": "Sedang (1–3 m)", "name_en": "Medium (1–3 m)"},
                    {"key": "besar", "name": "Besar (> 3 m)", "name_en": "Large (> 3 m)"}]},
    ],
    "genangan-banjir": [
        {"code": "kedalaman_cm", "datatype": "number", "required": False, "order": 1,
         "description": "Perkiraan kedalaman air (cm)", "description_en": "Estimated water depth (cm)"},
    ],
    "pju-mati": [
        {"code": "nomor_tiang", "datatype": "string", "required": False, "order": 1,
         "description": "Nomor tiang lampu bila terlihat", "description_en": "Pole number if visible"},
        {"code": "jumlah_lampu", "datatype": "number", "required": False, "order": 2,
         "description": "Berapa lampu yang mati?", "description_en": "How many lights are out?"},
    ],
    "air-mati": [
        {"code": "sejak", "datatype": "datetime", "required": False, "order": 1,
         "description": "Sejak kapan air tidak mengalir?", "description_en": "Since when has the water been off?"},
        {"code": "nomor_pelanggan", "datatype": "string", "required": False, "order": 2, "private": True,
         "description": "Nomor pelanggan PDAM", "description_en": "PDAM customer number"},
    ],
    "ktp-el": [
        {"code": "masalah", "datatype": "multivaluelist", "required": True, "order": 1,
         "description": "Apa masalahnya?", "description_en": "What is the problem?",
         "values": [{"key": "belum_jadi", "name": "Belum jadi", "name_en": "Not issued yet"},
                    {"key": "rusak", "name": "Rusak", "name_en": "Damaged"},
                    {"key": "salah_data", "name": "Salah data", "name_en": "Wrong data"},
                    {"key": "hilang", "name": "Hilang", "name_en": "Lost"}]},
    ],
    "bansos": [
        {"code": "program", "datatype": "singlevaluelist", "required": False, "order": 1,
         "description": "Program bantuan", "description_en": "Aid programme",
         "values": [{"key": "pkh", "name": "PKH", "name_en": "PKH"}, {"key": "bpnt", "name": "BPNT", "name_en": "BPNT"},
                    {"key": "blt", "name": "BLT", "name_en": "BLT"}, {"key": "lainnya", "name": "Lainnya", "name_en": "Other"}]},
    ],
}

# Area-specific routing: kecamatan/kelurahan code → department for a service.
# Banjarmasin Utara's riverside drainage (Sungai Andai, Alalak) is handled by PUPR's
# river unit; Banjarmasin Selatan's waste by DLH as usual; roads in Kelurahan Kuin
# Utara lie on a provincial stretch that BPBD watches during floods (illustrative).
ROUTING_RULES = [
    ("sungai-kotor", "63.71.04", "dlh", "Siring dan sungai di Banjarmasin Utara dibersihkan DLH"),
    ("genangan-banjir", "63.71.01", "bpbd", "Banjir rob Banjarmasin Selatan ditangani BPBD"),
    ("pohon-tumbang", "63.71.05", "bpbd", "Pohon tumbang di pusat kota ditangani TRC BPBD"),
    # More specific than the kecamatan rule above: Mantuil's flood pumps belong to PUPR.
    ("genangan-banjir", "63.71.01.1001", "pupr", "Pompa banjir Mantuil dikelola Dinas PUPR"),
]

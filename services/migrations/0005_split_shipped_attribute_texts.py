"""The shipped extra questions carried both languages in one text ("Seberapa besar kerusakannya? / How big is the
damage?"), which the Indonesian and the English page both showed whole. Rows still holding exactly that shipped text
get it split into the Indonesian field and the new English one; a text the administrator changed is left alone
(seed_city then leaves its English empty, which shows the Indonesian)."""

from django.db import migrations

# (service code, question code) → (shipped text, Indonesian, English); frozen here, the catalogue moves on.
QUESTIONS = {
    ("jalan-rusak", "ukuran"): ("Seberapa besar kerusakannya? / How big is the damage?", "Seberapa besar kerusakannya?", "How big is the damage?"),
    ("genangan-banjir", "kedalaman_cm"): ("Perkiraan kedalaman air (cm) / Estimated water depth (cm)", "Perkiraan kedalaman air (cm)", "Estimated water depth (cm)"),
    ("pju-mati", "nomor_tiang"): ("Nomor tiang lampu bila terlihat / Pole number if visible", "Nomor tiang lampu bila terlihat", "Pole number if visible"),
    ("pju-mati", "jumlah_lampu"): ("Berapa lampu yang mati? / How many lights are out?", "Berapa lampu yang mati?", "How many lights are out?"),
    ("air-mati", "sejak"): ("Sejak kapan air tidak mengalir? / Since when?", "Sejak kapan air tidak mengalir?", "Since when has the water been off?"),
    ("air-mati", "nomor_pelanggan"): ("Nomor pelanggan PDAM / Customer number", "Nomor pelanggan PDAM", "PDAM customer number"),
    ("ktp-el", "masalah"): ("Apa masalahnya? / What is the problem?", "Apa masalahnya?", "What is the problem?"),
    ("bansos", "program"): ("Program bantuan / Aid programme", "Program bantuan", "Aid programme"),
}
# (service code, question code, answer key) → (shipped label, Indonesian, English).
OPTIONS = {
    ("jalan-rusak", "ukuran", "kecil"): ("Kecil (< 1 m) / Small", "Kecil (< 1 m)", "Small (< 1 m)"),
    ("jalan-rusak", "ukuran", "sedang"): ("Sedang (1–3 m) / Medium", "Sedang (1–3 m)", "Medium (1–3 m)"),
    ("jalan-rusak", "ukuran", "besar"): ("Besar (> 3 m) / Large", "Besar (> 3 m)", "Large (> 3 m)"),
    ("ktp-el", "masalah", "belum_jadi"): ("Belum jadi / Not issued yet", "Belum jadi", "Not issued yet"),
    ("ktp-el", "masalah", "rusak"): ("Rusak / Damaged", "Rusak", "Damaged"),
    ("ktp-el", "masalah", "salah_data"): ("Salah data / Wrong data", "Salah data", "Wrong data"),
    ("ktp-el", "masalah", "hilang"): ("Hilang / Lost", "Hilang", "Lost"),
    ("bansos", "program", "lainnya"): ("Lainnya / Other", "Lainnya", "Other"),
}


def split_shipped_texts(apps, schema_editor):
    ServiceAttribute = apps.get_model("services", "ServiceAttribute")
    codes = {service for service, _code in QUESTIONS}
    for attribute in ServiceAttribute.objects.filter(service__code__in=codes).select_related("service"):
        changed = []
        question = QUESTIONS.get((attribute.service.code, attribute.code))
        if question and attribute.description == question[0] and not attribute.description_en:
            attribute.description, attribute.description_en = question[1], question[2]
            changed += ["description", "description_en"]
        if isinstance(attribute.values, list):
            options = []
            for option in attribute.values:
                key = option.get("key") if isinstance(option, dict) else None
                shipped = OPTIONS.get((attribute.service.code, attribute.code, str(key)))
                if shipped and option.get("name") == shipped[0] and not option.get("name_en"):
                    option = {**option, "name": shipped[1], "name_en": shipped[2]}
                options.append(option)
            if options != attribute.values:
                attribute.values = options
                changed.append("values")
        if changed:
            attribute.save(update_fields=changed)


class Migration(migrations.Migration):
    dependencies = [
        ("services", "0004_attribute_english"),
    ]

    operations = [migrations.RunPython(split_shipped_texts, migrations.RunPython.noop)]

"""``manage.py train_classifier``: retrain the "not sure" classifier now (beat does it nightly).

``--baseline`` rebuilds the shipped baseline from the seed catalogue only (no database needed),
for developers after editing services/catalogue.py.
"""

from __future__ import annotations

from pathlib import Path

from django.core.management.base import BaseCommand

from complaints import classifier


class Command(BaseCommand):
    help = "Retrain the service classifier for 'not sure' tickets on the catalogue and past routed tickets."

    def add_arguments(self, parser):
        parser.add_argument("--baseline", action="store_true", help="Rebuild the shipped baseline from seed data.")
        parser.add_argument("--output", help="Where to write the model (default: CLASSIFIER_MODEL_PATH).")

    def handle(self, *args, baseline=False, output=None, **options):
        if baseline:
            texts, labels = classifier.seed_samples()
            model = classifier.train(texts, labels)
            path = Path(output) if output else classifier.BASELINE_PATH
            classifier.save(model, path)
            self.stdout.write(f"Baseline: {len(texts)} seed sentences, {len(model.classes_)} services → {path}")
            return
        counts = classifier.retrain(path=Path(output) if output else None)
        self.stdout.write(
            f"Trained on {counts['seed']} seed sentences and {counts['past']} routed tickets, "
            f"{counts['classes']} services → {counts['path']}"
        )

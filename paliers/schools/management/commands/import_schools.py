import json

from django.core.management.base import BaseCommand, CommandError

from paliers.schools.importing import ImportFileError, import_schools

# Beyond this, the rejected lines are counted rather than listed (--json lists them all).
LISTED_REJECTIONS = 200


def spaced(number):
    return f"{number:,}".replace(",", " ")


class Command(BaseCommand):
    help = (
        "Importe un fichier CSV du ministère : Annuaire de l’éducation, ou Adresse et géolocalisation "
        "des établissements. Tout ou rien : une ligne refusée et rien n’est importé (sauf --skip-invalid)."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", help="fichier CSV téléchargé (ou ré-enregistré par un tableur)")
        parser.add_argument("--dry-run", action="store_true", help="calcule le bilan sans rien enregistrer")
        parser.add_argument(
            "--skip-invalid", action="store_true", help="importe les lignes valides et signale les autres"
        )
        parser.add_argument("--json", action="store_true", help="écrit le bilan en JSON")

    def handle(self, *args, file, dry_run, skip_invalid, **options):
        progress = self.show_progress if self.stderr.isatty() else None
        try:
            summary = import_schools(file, dry_run=dry_run, skip_invalid=skip_invalid, progress=progress)
        except ImportFileError as error:
            raise CommandError(f"{file} : {error.message} ; rien n’a été importé.") from None
        if options["json"]:
            self.stdout.write(json.dumps(summary.as_json(), ensure_ascii=False))
        else:
            self.write_summary(summary, dry_run=dry_run, listed=skip_invalid, verbosity=options["verbosity"])
        if summary.rejected and not skip_invalid:
            if not options["json"]:
                self.write_rejections(summary.rejected, self.stderr)
            outcome = "l’import serait refusé" if dry_run else "rien n’a été importé"
            raise CommandError(
                f"{len(summary.rejected)} ligne(s) refusée(s) : {outcome}. Corrigez le fichier, ou relancez "
                "avec --skip-invalid pour importer les autres lignes."
            )

    def show_progress(self, done, total):
        line = f"\r{spaced(done)} / {spaced(total)} lignes"
        self.stderr.write(line, style_func=str, ending="\n" if done >= total else "")
        self.stderr.flush()

    def write_summary(self, summary, *, dry_run, listed, verbosity):
        self.stdout.write(f"Fichier reconnu : {summary.format_name}.")
        created, updated = ("créé(s)", "mis à jour") if summary.applied else ("à créer", "à mettre à jour")
        self.stdout.write(
            f"Écoles et établissements : {spaced(summary.created)} {created}, {spaced(summary.updated)} "
            f"{updated}, {spaced(summary.unchanged)} inchangé(s) ; lignes fusionnées (UAI en double) : "
            f"{spaced(summary.merged)} ; lignes refusées : {spaced(len(summary.rejected))}."
        )
        for line in [*summary.merges, *summary.notes]:
            self.stdout.write(f"  {line}")
        if listed:
            self.write_rejections(summary.rejected, self.stdout)
        if verbosity >= 2:
            for change in summary.preview:
                details = " ; ".join(change["changes"])
                self.stdout.write(f"  {change['action']} {change['uai']} {change['name']} {details}".rstrip())
        if summary.applied:
            self.stdout.write("Import enregistré.")
        elif dry_run:
            self.stdout.write("Simulation (--dry-run) : rien n’a été enregistré.")

    def write_rejections(self, rejected, stream):
        for rejection in rejected[:LISTED_REJECTIONS]:
            stream.write(f"  ligne {rejection.line} : {rejection.reason}")
        if len(rejected) > LISTED_REJECTIONS:
            more = spaced(len(rejected) - LISTED_REJECTIONS)
            stream.write(f"  … et {more} autre(s) (--json les liste toutes)")

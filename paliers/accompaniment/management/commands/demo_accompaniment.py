from django.core.management.base import BaseCommand

from paliers.accompaniment.demo import create_demo_accompaniment


def counted(number, noun):
    return f"{number} {noun}{'s' if number > 1 else ''}"


class Command(BaseCommand):
    help = (
        "Crée l’accompagnement de démonstration (demandes, interventions, plans d’accompagnement et de "
        "formation de trois écoles de la circonscription de l’animateur de démonstration) ; s’il "
        "existe déjà, ne change rien. Lancez demo_accounts avant, pour les auteurs."
    )

    def handle(self, *args, **options):
        result = create_demo_accompaniment()
        if result.created:
            self.stdout.write("Accompagnement de démonstration créé :")
        else:
            self.stdout.write("Accompagnement de démonstration déjà présent, rien n’a été modifié :")
        for school, requests, records, actions in result.schools:
            self.stdout.write(
                f"  {school} : {counted(requests, 'demande')}, {counted(records, 'intervention')}, "
                f"{counted(actions, 'action')} au plan"
            )
        if result.created and result.animator is None:
            self.stdout.write(
                "Pas de compte animateur dans la circonscription : les interventions n’ont pas d’auteur. "
                "Sur une base neuve, lancez « paliers demo_accounts » avant « paliers demo_accompaniment »."
            )

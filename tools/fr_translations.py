"""French UI strings, kept as a reviewable table and written into locale/fr by `fill_po`.

Run after `make messages` adds strings:  python tools/fr_translations.py
The test suite fails while any UI string lacks a French translation.
"""

from pathlib import Path

FR = {
    "Role and scope": "Rôle et périmètre",
    "Accounts": "Comptes",
    "role": "rôle",
    "region": "région",
    "office": "bureau",
    "member administration": "administration membre",
    "user": "utilisateur",
    "users": "utilisateurs",
    "Secretariat officer": "Agent du Secrétariat",
    "ROCB officer": "Agent du BRRC",
    "RTC coordinator": "Coordonnateur de CRF",
    "Member focal point": "Point de contact du Membre",
    "Expert": "Expert",
    "Researcher": "Chercheur",
    "Donor": "Donateur",
    "User name": "Nom d'utilisateur",
    "Role": "Rôle",
    "Scope": "Périmètre",
    "Email": "Courriel",
    "Change password": "Changer le mot de passe",
    "User": "Utilisateur",
    "First name": "Prénom",
    "Last name": "Nom",
    "English": "Anglais",
    "French": "Français",
    "Map": "Carte",
    "Regions": "Régions",
    "Offices": "Bureaux",
    "Members": "Membres",
    "Committees": "Comités",
    "High": "Élevée",
    "Medium (inferred)": "Moyenne (déduite)",
    "Unsourced": "Sans source",
    "sources": "sources",
    "Source keys, separated by semicolons.": "Clés des sources, séparées par des points-virgules.",
    "confidence": "fiabilité",
    "notes": "notes",
    "Not allowed": "Action non autorisée",
    "Your role does not allow this action.": "Votre rôle ne permet pas cette action.",
    "Not found": "Introuvable",
    "There is nothing at this address that you can see.": "Il n'y a rien à cette adresse que vous puissiez consulter.",
    "Capacity building hub": "Plateforme de renforcement des capacités",
    "Skip to main content": "Aller au contenu principal",
    "WCO capacity building": "Renforcement des capacités de l'OMD",
    "Search": "Rechercher",
    "Search the network": "Rechercher dans le réseau",
    "Language": "Langue",
    "Change": "Changer",
    "Sign out": "Se déconnecter",
    "Sign in": "Se connecter",
    "Main": "Principale",
    "People": "Personnes",
    "API": "API",
    "Administration": "Administration",
    "cbhub — open-source capacity-building management for the WCO network.": "cbhub — gestion libre du renforcement des capacités pour le réseau de l'OMD.",
    "Status": "État du service",
    "%(counter)s result": ("%(counter)s résultat", "%(counter)s résultats"),
    "Export CSV": "Exporter en CSV",
    "Some filters are not valid; correct them to see results.": "Certains filtres ne sont pas valides ; corrigez-les pour voir les résultats.",
    "Nothing matches these filters.": "Aucun résultat pour ces filtres.",
    "Pages": "Pages",
    "Previous": "Précédente",
    "Page %(number)s of %(total)s": "Page %(number)s sur %(total)s",
    "Next": "Suivante",
    "Edit": "Modifier",
    "History": "Historique",
    "Sources and confidence": "Sources et fiabilité",
    "This record needs checking by a curator.": "Cette fiche doit être vérifiée par un responsable des données.",
    "No source recorded.": "Aucune source enregistrée.",
    "Home": "Accueil",
    "Capacity building across the WCO network": "Le renforcement des capacités dans le réseau de l'OMD",
    "One place for the Secretariat, the Regional Offices for Capacity Building, the Regional Training "
    "Centres and the member administrations to plan, deliver and learn from capacity building.": "Un espace commun où le Secrétariat, les Bureaux régionaux de renforcement des capacités, les "
    "Centres régionaux de formation et les administrations membres planifient, mettent en œuvre et "
    "tirent les leçons du renforcement des capacités.",
    "Map of the network": "Carte du réseau",
    "Regions, offices and members at a glance.": "Régions, bureaux et Membres d'un coup d'œil.",
    "The Secretariat, the ROCBs and the RTCs.": "Le Secrétariat, les BRRC et les CRF.",
    "Member customs administrations by region.": "Les administrations douanières membres par région.",
    "The bodies that steer and advise capacity building.": "Les instances qui orientent et conseillent le renforcement des capacités.",
    "Add": "Ajouter",
    "Edit %(object)s": "Modifier %(object)s",
    "Add %(verbose_name)s": "Ajouter : %(verbose_name)s",
    "Save": "Enregistrer",
    "Cancel": "Annuler",
    "History of %(object)s": "Historique de %(object)s",
    "When": "Quand",
    "Who": "Qui",
    "What": "Quoi",
    "Changes": "Modifications",
    "system": "système",
    "First recorded": "Première version",
    "No changes recorded yet.": "Aucune modification enregistrée.",
    "Only the latest 50 changes are shown.": "Seules les 50 dernières modifications sont affichées.",
    "Filters": "Filtres",
    "Apply": "Appliquer",
    "Clear": "Effacer",
    "Words to find": "Mots à rechercher",
    "Nothing found for “%(query)s”.": "Aucun résultat pour « %(query)s ».",
    "Too many attempts": "Trop de tentatives",
    "Too many failed sign-in attempts": "Trop de tentatives de connexion échouées",
    "This account is locked for 15 minutes. Try again later or reset your password.": "Ce compte est bloqué pendant 15 minutes. Réessayez plus tard ou réinitialisez votre mot de passe.",
    "Reset your password": "Réinitialiser votre mot de passe",
    "Password": "Mot de passe",
    "Forgotten your password?": "Mot de passe oublié ?",
    "Password changed": "Mot de passe modifié",
    "Your password has been changed.": "Votre mot de passe a été modifié.",
    "Password set": "Mot de passe défini",
    "Choose a new password": "Choisissez un nouveau mot de passe",
    "Set password": "Définir le mot de passe",
    "This reset link is no longer valid; ask for a new one.": "Ce lien de réinitialisation n'est plus valable ; demandez-en un nouveau.",
    "Reset password": "Réinitialiser le mot de passe",
    "Check your email": "Consultez votre messagerie",
    "If an account uses that address, a link to reset its password is on its way.": "Si un compte utilise cette adresse, un lien pour réinitialiser son mot de passe vient d'être envoyé.",
    "Enter your email address; we will send you a link to choose a new password.": "Saisissez votre adresse électronique ; nous vous enverrons un lien pour choisir un nouveau mot de passe.",
    "Send the link": "Envoyer le lien",
    "You may not add records of this kind.": "Vous ne pouvez pas ajouter de fiches de ce type.",
    "Saved %(object)s.": "%(object)s enregistré.",
    "Search terms are limited to %(limit)d characters.": "La recherche est limitée à %(limit)d caractères.",
    "Network registry": "Registre du réseau",
    "Unknown region %(value)s. Use one of: %(known)s.": "Région inconnue : %(value)s. Utilisez l'une de : %(known)s.",
    "Confidence": "Fiabilité",
    "Kind": "Type",
    "Region": "Région",
    "Joined in or after (year)": "Adhésion en ou après (année)",
    "Relation": "Relation",
    "code": "code",
    "WCO code, e.g. A/P.": "Code OMD, par exemple A/P.",
    "slug": "identifiant",
    "name": "nom",
    "official long name": "nom officiel complet",
    "member count (as sourced)": "nombre de Membres (selon la source)",
    "recent vice-chairs (as sourced)": "vice-présidences récentes (selon la source)",
    "regions": "régions",
    "ISO alpha-2": "ISO alpha-2",
    "ISO alpha-3": "ISO alpha-3",
    "date joined": "date d'adhésion",
    "year joined": "année d'adhésion",
    "Kept when only the year is known.": "Conservée lorsque seule l'année est connue.",
    "member administrations": "administrations membres",
    "Secretariat": "Secrétariat",
    "Regional Office for Capacity Building": "Bureau régional de renforcement des capacités",
    "Regional Training Centre": "Centre régional de formation",
    "City": "Ville",
    "Capital (city not known)": "Capitale (ville inconnue)",
    "kind": "type",
    "host administration": "administration hôte",
    "institution": "institution",
    "city": "ville",
    "country": "pays",
    "latitude": "latitude",
    "longitude": "longitude",
    "coordinate precision": "précision des coordonnées",
    "year established": "année de création",
    "establishment": "création",
    "location history (as sourced)": "historique des implantations (selon la source)",
    "offices": "bureaux",
    "since": "depuis",
    "A year or a date.": "Une année ou une date.",
    "until": "jusqu'à",
    "Empty while current.": "Vide tant que l'implantation est actuelle.",
    "current": "actuelle",
    "office location": "implantation du bureau",
    "office locations": "implantations des bureaux",
    "Advises the capacity-building directorate": "Conseille la direction du renforcement des capacités",
    "Collaborates with the directorate": "Collabore avec la direction",
    "acronym": "sigle",
    "relation": "relation",
    "virtual working group": "groupe de travail virtuel",
    "description": "description",
    "committee or working group": "comité ou groupe de travail",
    "committees and working groups": "comités et groupes de travail",
    "Chair": "Présidence",
    "Vice-chair": "Vice-présidence",
    "Member": "Membre",
    "Observer": "Observateur",
    "Secretary": "Secrétariat de séance",
    "committee": "comité",
    "person": "personne",
    "committee membership": "siège au comité",
    "committee memberships": "sièges aux comités",
    "key": "clé",
    "address": "adresse",
    "section": "section",
    "what was taken": "informations reprises",
    "source": "source",
    "No members recorded yet.": "Aucun membre enregistré pour l'instant.",
    "All regions": "Toutes les régions",
    "Show": "Afficher",
    "ROCBs": "BRRC",
    "RTCs": "CRF",
    "Map of the WCO capacity-building network": "Carte du réseau de renforcement des capacités de l'OMD",
    "Member administrations are coloured by region; circles mark the ROCBs (large) and RTCs (small), "
    "the square marks the Secretariat.": "Les administrations membres sont colorées par région ; les cercles indiquent les BRRC (grands) et "
    "les CRF (petits), le carré indique le Secrétariat.",
    "Outlines: Natural Earth 1:110m. Offices whose city is not known are placed at their capital.": "Contours : Natural Earth 1:110m. Les bureaux dont la ville est inconnue sont placés dans la capitale.",
    "Too small to draw at this scale:": "Trop petits pour être dessinés à cette échelle :",
    "Offices on the map": "Bureaux sur la carte",
    "ISO codes": "Codes ISO",
    "Joined the WCO": "Adhésion à l'OMD",
    "not known": "inconnue",
    "Offices hosted": "Bureaux accueillis",
    "Committee seats": "Sièges dans les comités",
    "Host administration": "Administration hôte",
    "Institution": "Institution",
    "Coordinates": "Coordonnées",
    "Year established": "Année de création",
    "Establishment": "Création",
    "Location history": "Historique des implantations",
    "Country": "Pays",
    "Since": "Depuis",
    "Until": "Jusqu'à",
    "None recorded.": "Aucune donnée enregistrée.",
    "Official name": "Nom officiel",
    "Member count (as sourced)": "Nombre de Membres (selon la source)",
    "Recent vice-chairs (as sourced)": "Vice-présidences récentes (selon la source)",
    "Show this region on the map": "Afficher cette région sur la carte",
    "%(counter)s member administration": (
        "%(counter)s administration membre",
        "%(counter)s administrations membres",
    ),
    "Name": "Nom",
    "Code": "Code",
    "Established": "Création",
    "Joined": "Adhésion",
    "Acronym": "Sigle",
    "view": "consulter",
    "add": "ajouter",
    "change": "modifier",
    "delete": "supprimer",
    "No %(thing)s found.": "Aucun(e) %(thing)s trouvé(e).",
    "Your role does not allow you to %(action)s this %(thing)s.": "Votre rôle ne vous permet pas de %(action)s cet objet (%(thing)s).",
    "This change would move the %(thing)s out of your scope.": "Cette modification ferait sortir l'objet (%(thing)s) de votre périmètre.",
    "%(object)s is still used by: %(names)s.": "%(object)s est encore utilisé par : %(names)s.",
    "An ROCB officer needs a region.": "Un agent du BRRC doit être rattaché à une région.",
    "An RTC coordinator needs a Regional Training Centre.": "Un coordonnateur de CRF doit être rattaché à un Centre régional de formation.",
    "A member focal point needs a member administration.": "Un point de contact doit être rattaché à une administration membre.",
    "Unknown role %(role)s.": "Rôle inconnu : %(role)s.",
}


def po_string(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n") + '"'


def fill_po(path: Path) -> list[str]:
    """Write FR into the .po file; return the msgids that still have no translation."""
    import re

    entries = path.read_text(encoding="utf-8").split("\n\n")
    header = entries[0].replace("#, fuzzy\n", "").replace('"Language: \\n"', '"Language: fr\\n"')
    header = header.replace("PACKAGE VERSION", "cbhub")
    missing, out = [], [header]
    for entry in entries[1:]:
        comments = [line for line in entry.splitlines() if line.startswith("#")]
        fields, current = {}, None
        for line in entry.splitlines():
            match = re.match(r'(msgid_plural|msgid|msgstr(?:\[\d\])?) (".*")$', line)
            if match:
                current = match.group(1)
                fields[current] = eval(match.group(2))  # noqa: S307 - a quoted PO string literal
            elif line.startswith('"') and current:
                fields[current] += eval(line)  # noqa: S307
        if "msgid" not in fields:
            out.append(entry)
            continue
        msgid = fields["msgid"]
        translation = FR.get(msgid)
        comments = [line for line in comments if "fuzzy" not in line]
        lines = comments + [f"msgid {po_string(msgid)}"]
        if "msgid_plural" in fields:
            lines.append(f"msgid_plural {po_string(fields['msgid_plural'])}")
            one, many = translation if isinstance(translation, tuple) else ("", "")
            lines += [f"msgstr[0] {po_string(one)}", f"msgstr[1] {po_string(many)}"]
        else:
            lines.append(f"msgstr {po_string(translation or '')}")
        if not translation:
            missing.append(msgid)
        out.append("\n".join(lines))
    path.write_text("\n\n".join(out).rstrip("\n") + "\n", encoding="utf-8")
    return missing


if __name__ == "__main__":
    po = Path(__file__).resolve().parent.parent / "locale" / "fr" / "LC_MESSAGES" / "django.po"
    untranslated = fill_po(po)
    print("untranslated:", untranslated or "none")

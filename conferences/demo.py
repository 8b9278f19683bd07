"""Demo conferences for `make run`: the seventeen PICARD editions of 2006-2022 (loaded by
`load_reference`) each get a decided call with about 200 accepted papers in all (and some rejected),
written on the edition's theme and the topic taxonomy by recurring authors from administrations,
universities, companies and WCO offices; the next PICARD edition has an open call with submissions
under review (a reviewer pool, standing and declared conflicts, bids, assignments and reviews, the
"Reviewing" phase active); and the Asia/Pacific region hosts a regional research conference whose
call is in draft.

The demo accounts take part: `researcher` (Rafael Researcher) authors past papers, one submission to
the open call and an Asia/Pacific good-practice report of the knowledge base; `expert` (Elena
Expert) reviews two papers of the open call, neither of them conflicted.

Papers and authorships are written in bulk. Only the accepted papers of the last
`publish_editions` editions enter the knowledge base (through `services.paper_publish`, which
embeds them); the rest stay conference records. A second run changes nothing.
"""

# ruff: noqa: E501 (tables of names and sentences)
from __future__ import annotations

import datetime
import random
import unicodedata

from django.db import transaction
from django.utils import timezone

from accounts.models import User
from conferences import services
from conferences.models import (
    AffiliationKind,
    Assignment,
    Authorship,
    Bid,
    BidValue,
    Call,
    CallStatus,
    Comment,
    Conference,
    ConferenceKind,
    ConflictKind,
    DeclaredConflict,
    Review,
    Reviewer,
    ReviewerKind,
    ReviewMode,
    StandingConflict,
    Submission,
    SubmissionStatus,
)
from conferences.reference import ordinal
from network.models import Member, Office, Region
from people.models import Gender, Person
from people.services import name_key
from topics.models import Topic

SEED = 2026
OPEN_EDITION = 18
PUBLISH_EDITIONS = 3
GOOD_PRACTICE_KEY = "demo-conferences/good-practice-ap"

# --- people ------------------------------------------------------------------------------------------

# iso alpha-2: (women's first names, men's first names, surnames; a pair is (men's, women's) form)
NAMES: dict[str, tuple[list[str], list[str], list]] = {
    "AU": (["Olivia", "Hannah", "Charlotte"], ["Lachlan", "Matthew", "Daniel"], ["Mitchell", "Walsh", "Harrison", "O'Connor"]),
    "NZ": (["Aroha", "Sophie"], ["Liam", "Tane"], ["Ngata", "McKenzie", "Parata"]),
    "DE": (["Katrin", "Anna", "Julia"], ["Matthias", "Jonas", "Stefan"], ["Schneider", "Weber", "Hoffmann", "Becker", "Krüger"]),
    "CN": (["Jing", "Xiaoyan", "Lin"], ["Wei", "Hao", "Jun"], ["Zhang", "Liu", "Chen", "Zhou", "Huang"]),
    "FR": (["Camille", "Élodie", "Claire"], ["Julien", "Thomas", "Mathieu"], ["Lefèvre", "Moreau", "Girard", "Dubois", "Rousseau"]),
    "JP": (["Haruka", "Yuki", "Aiko"], ["Takeshi", "Kenta", "Hiroshi"], ["Sato", "Tanaka", "Watanabe", "Kobayashi", "Yamamoto"]),
    "KR": (["Ji-woo", "Seo-yeon", "Min-ji"], ["Min-jun", "Hyun-woo", "Dong-hyun"], ["Kim", "Park", "Lee", "Choi", "Jung"]),
    "MX": (["Mariana", "Sofía", "Gabriela"], ["Alejandro", "Diego", "Luis"], ["Hernández", "Ramírez", "Torres", "Castillo"]),
    "BR": (["Ana", "Beatriz", "Juliana"], ["João", "Lucas", "Rafael"], ["Silva", "Oliveira", "Souza", "Costa"]),
    "AR": (["Lucía", "Valentina"], ["Martín", "Santiago"], ["Fernández", "Gómez", "Álvarez"]),
    "CR": (["Daniela", "María José"], ["Andrés", "Esteban"], ["Vargas", "Jiménez", "Solís"]),
    "CO": (["Catalina", "Laura"], ["Felipe", "Camilo"], ["Restrepo", "Ospina", "Rojas"]),
    "RU": (["Anastasia", "Olga", "Natalia"], ["Dmitry", "Sergey", "Alexei"], [("Sokolov", "Sokolova"), ("Petrov", "Petrova"), ("Morozov", "Morozova"), ("Volkov", "Volkova")]),
    "KZ": (["Aigerim", "Dana"], ["Nurlan", "Yerlan"], [("Abenov", "Abenova"), ("Seitkali", "Seitkali"), ("Zhakupov", "Zhakupova")]),
    "AZ": (["Leyla", "Aysel"], ["Elchin", "Rashad"], [("Mammadov", "Mammadova"), ("Aliyev", "Aliyeva"), ("Hasanov", "Hasanova")]),
    "MK": (["Marija", "Elena"], ["Aleksandar", "Nikola"], [("Stojanovski", "Stojanovska"), ("Trajkovski", "Trajkovska")]),
    "MA": (["Fatima Zahra", "Salma"], ["Youssef", "Hamid"], ["El Amrani", "Benjelloun", "Alaoui", "Tazi"]),
    "TN": (["Amel", "Sonia"], ["Karim", "Mehdi"], ["Ben Salah", "Trabelsi", "Gharbi"]),
    "EG": (["Mona", "Heba"], ["Ahmed", "Tarek"], ["Hassan", "Mostafa", "El-Sayed"]),
    "JO": (["Rania", "Lina"], ["Omar", "Khaled"], ["Haddad", "Khalil", "Nasser"]),
    "AE": (["Mariam", "Noura"], ["Rashid", "Saeed"], ["Al Mansoori", "Al Shamsi", "Al Nuaimi"]),
    "KE": (["Wanjiru", "Achieng", "Njeri"], ["Otieno", "Kiprono", "Mwangi"], ["Kamau", "Odhiambo", "Wafula", "Chebet"]),
    "TZ": (["Neema", "Rehema"], ["Baraka", "Juma"], ["Mushi", "Mwakyusa", "Lyimo"]),
    "UG": (["Sarah", "Grace"], ["Moses", "Ronald"], ["Okello", "Nakato", "Mugisha"]),
    "ZA": (["Thandiwe", "Lerato", "Anri"], ["Sipho", "Johan", "Themba"], ["Nkosi", "Van der Merwe", "Dlamini", "Botha"]),
    "RW": (["Aline", "Diane"], ["Eric", "Jean-Paul"], ["Uwimana", "Habimana", "Mukamana"]),
    "GH": (["Abena", "Efua"], ["Kwame", "Kofi"], ["Mensah", "Owusu", "Asante", "Boateng"]),
    "NG": (["Ngozi", "Funmilayo"], ["Chinedu", "Emeka", "Tunde"], ["Okafor", "Adeyemi", "Ibrahim", "Eze"]),
    "SN": (["Aminata", "Fatou"], ["Moussa", "Ousmane"], ["Diop", "Ndiaye", "Sow", "Fall"]),
    "CI": (["Aya", "Mariam"], ["Yao", "Koffi"], ["Kouassi", "Koné", "Traoré"]),
    "CM": (["Brigitte", "Solange"], ["Jean-Pierre", "Serge"], ["Mbarga", "Nguema", "Fotso"]),
    "MY": (["Nurul", "Siti"], ["Faizal", "Azman"], ["Abdullah", "Ismail", "Rahman"]),
    "IN": (["Priya", "Ananya", "Kavita"], ["Rahul", "Arjun", "Vikram"], ["Sharma", "Iyer", "Nair", "Gupta"]),
    "TH": (["Siriporn", "Nattaya"], ["Somchai", "Kittisak"], ["Srisuk", "Chaiyaporn", "Wongsawat"]),
    "ID": (["Dewi", "Putri"], ["Budi", "Agus"], ["Santoso", "Wibowo", "Hidayat"]),
    "PH": (["Maria", "Kristine"], ["Jose", "Mark"], ["Santos", "Reyes", "Dela Cruz"]),
    "FJ": (["Litia", "Salote"], ["Josefa", "Semi"], ["Naidu", "Tuilagi", "Ravuvu"]),
    "VN": (["Linh", "Thu"], ["Minh", "Duc"], ["Nguyen", "Tran", "Pham"]),
    "BE": (["Sofie", "Hélène"], ["Pieter", "Laurent"], ["Peeters", "Janssens", "Dupont"]),
    "NL": (["Sanne", "Eva"], ["Jeroen", "Bram"], ["de Vries", "van Dijk", "Bakker"]),
    "GB": (["Emma", "Rachel"], ["Oliver", "Andrew"], ["Taylor", "Hughes", "Clarke"]),
    "CH": (["Nadine", "Sabine"], ["Marco", "Lukas"], ["Meier", "Favre", "Keller"]),
    "IT": (["Giulia", "Francesca"], ["Marco", "Luca"], ["Rossi", "Bianchi", "Romano"]),
    "ES": (["Carmen", "Lucía"], ["Javier", "Pablo"], ["García", "Martínez", "López"]),
    "SE": (["Ingrid", "Maja"], ["Erik", "Johan"], ["Lindqvist", "Andersson"]),
    "PL": (["Agnieszka", "Katarzyna"], ["Piotr", "Tomasz"], [("Kowalski", "Kowalska"), ("Nowak", "Nowak"), ("Wiśniewski", "Wiśniewska")]),
    "LT": (["Rūta", "Ieva"], ["Mindaugas", "Tomas"], [("Kazlauskas", "Kazlauskienė"), ("Petrauskas", "Petrauskienė")]),
    "TR": (["Ayşe", "Elif", "Zeynep"], ["Mehmet", "Emre", "Burak"], ["Yılmaz", "Kaya", "Demir", "Şahin"]),
    "US": (["Jennifer", "Emily"], ["Michael", "David"], ["Johnson", "Miller", "Anderson"]),
    "CA": (["Isabelle", "Megan"], ["Étienne", "Ryan"], ["Tremblay", "Gagnon", "MacDonald"]),
    "PE": (["Rosa", "Milagros"], ["Jorge", "César"], ["Quispe", "Mendoza", "Flores"]),
    "OM": (["Aisha", "Zainab"], ["Said", "Hamad"], ["Al Balushi", "Al Harthy", "Al Rawahi"]),
    "UZ": (["Dilnoza", "Madina"], ["Sherzod", "Bekzod"], [("Karimov", "Karimova"), ("Rakhimov", "Rakhimova"), ("Yusupov", "Yusupova")]),
}  # fmt: skip

# name, iso alpha-2 of its country, e-mail domain
UNIVERSITIES = [
    ("University of Canberra, Centre for Customs and Excise Studies", "AU", "canberra.example"),
    ("Charles Sturt University, Centre for Customs and Excise Studies", "AU", "csu.example"),
    ("University of Münster, Institute of Customs and International Trade Law", "DE", "uni-muenster.example"),
    ("Kühne Logistics University", "DE", "klu.example"),
    ("Shanghai Customs College", "CN", "shcc.example"),
    ("Université Clermont Auvergne", "FR", "uca.example"),
    ("Université Paris 1 Panthéon-Sorbonne", "FR", "univ-paris1.example"),
    ("Hitotsubashi University", "JP", "hit-u.example"),
    ("Kobe University, Graduate School of International Cooperation Studies", "JP", "kobe-u.example"),
    ("Chung-Ang University", "KR", "cau.example"),
    ("Tecnológico de Monterrey", "MX", "tec.example"),
    ("Universidade de São Paulo", "BR", "usp.example"),
    ("Universidad de Buenos Aires", "AR", "uba.example"),
    ("University of Costa Rica", "CR", "ucr.example"),
    ("ITMO University, International Business and Law Institute", "RU", "itmo.example"),
    ("Russian Customs Academy", "RU", "customs-academy.example"),
    ("Cadi Ayyad University", "MA", "uca-ma.example"),
    ("University of Tunis El Manar", "TN", "utm.example"),
    ("Cairo University", "EG", "cu.example"),
    ("University of Nairobi", "KE", "uonbi.example"),
    ("Kenya School of Revenue Administration", "KE", "kesra.example"),
    ("University of Johannesburg", "ZA", "uj.example"),
    ("University of Ghana", "GH", "ug.example"),
    ("University of Lagos", "NG", "unilag.example"),
    ("Université Cheikh Anta Diop", "SN", "ucad.example"),
    ("University of Dar es Salaam", "TZ", "udsm.example"),
    ("Universiti Utara Malaysia", "MY", "uum.example"),
    ("Indian Institute of Foreign Trade", "IN", "iift.example"),
    ("University of the South Pacific", "FJ", "usp-fj.example"),
    ("Ss. Cyril and Methodius University in Skopje", "MK", "ukim.example"),
    ("Azerbaijan State University of Economics", "AZ", "unec.example"),
    ("KU Leuven", "BE", "kuleuven.example"),
    ("Erasmus University Rotterdam", "NL", "eur.example"),
    ("Lund University", "SE", "lu.example"),
    ("Vilnius University", "LT", "vu.example"),
]
COMPANIES = [
    ("Cross-border Research Association", "CH", "cross-border.example"),
    ("Deloitte Global Trade Advisory", "BE", "deloitte.example"),
    ("KPMG Trade and Customs", "NL", "kpmg.example"),
    ("PwC Customs and International Trade", "GB", "pwc.example"),
    ("DHL Global Forwarding, Customs Services", "DE", "dhl.example"),
]
# the countries whose administrations send papers, and how often
ADMINISTRATIONS = {
    "KR": 3, "KE": 3, "MA": 2, "TR": 2, "MX": 2, "BR": 2, "NG": 2, "ZA": 2, "JP": 2, "CN": 2,
    "AU": 2, "NL": 2, "RU": 1, "AZ": 1, "MK": 1, "TN": 1, "EG": 1, "JO": 1, "AE": 1, "UG": 1,
    "TZ": 1, "RW": 1, "GH": 1, "SN": 1, "CI": 1, "CM": 1, "MY": 1, "IN": 1, "TH": 1, "ID": 1,
    "PH": 1, "FJ": 1, "NZ": 1, "BE": 1, "FR": 1, "GB": 1, "SE": 1, "PL": 1, "CO": 1, "CA": 1,
    "US": 1, "KZ": 1,
}  # fmt: skip
# WCO staff: office code and the nationality (iso alpha-2) of the person
WCO_STAFF = [
    ("secretariat", "BE"), ("secretariat", "JP"), ("secretariat", "KE"), ("secretariat", "FR"),
    ("secretariat", "KR"), ("rocb-ap", "TH"), ("rocb-esa", "KE"), ("rocb-wca", "CI"),
    ("rocb-ams", "CO"), ("rocb-mena", "MA"),
]  # fmt: skip
ACADEMIC_TITLES = [
    "Professor of International Trade Law",
    "Associate Professor of Economics",
    "Senior Lecturer in Customs Administration",
    "Lecturer in Supply Chain Management",
    "Research Fellow",
    "PhD candidate",
    "Professor of Public Administration",
]
PRACTITIONER_TITLES = [
    "Head of Risk Management Division",
    "Senior Customs Officer, Post-Clearance Audit",
    "Director of Policy and Research",
    "Deputy Director, Tariff and Valuation",
    "Chief Inspector, Enforcement",
    "Head of the Data Analytics Unit",
    "Director of the Customs Training Academy",
    "AEO Programme Manager",
    "Trade Facilitation Adviser",
]
COMPANY_TITLES = ["Director, Customs and Trade Compliance", "Partner, Trade and Customs", "Research Director"]
WCO_TITLES = [
    "Technical Officer, Capacity Building Directorate",
    "Research Analyst, WCO Research Unit",
    "Senior Technical Officer",
    "Regional Capacity Building Officer",
]
LANGUAGE_OF = {
    "FR": "fr", "SN": "fr", "CI": "fr", "CM": "fr", "MA": "fr", "TN": "fr", "BE": "fr", "CH": "fr",
    "RW": "fr", "MX": "es", "AR": "es", "CR": "es", "CO": "es", "ES": "es", "BR": "pt", "RU": "ru",
    "KZ": "ru", "AZ": "ru", "CN": "zh", "EG": "ar", "JO": "ar", "AE": "ar",
}  # fmt: skip
COUNTRY = {
    "KR": "Korea",
    "TZ": "Tanzania",
    "US": "the United States",
    "RU": "Russia",
    "GB": "the United Kingdom",
    "NL": "the Netherlands",
    "PH": "the Philippines",
    "AE": "the United Arab Emirates",
    "EU": "the European Union",
}
REGION = {
    "A/P": "Asia/Pacific",
    "AMS": "the Americas and the Caribbean",
    "EUR": "Europe",
    "MENA": "the Middle East and North Africa",
    "ESA": "East and Southern Africa",
    "WCA": "West and Central Africa",
}

# --- what the papers say -----------------------------------------------------------------------------

# slug: (noun phrase, titles, research questions, findings)
TOPIC_TEXT: dict[str, tuple[str, list[str], list[str], list[str]]] = {
    "hs-classification": (
        "tariff classification under the Harmonized System",
        [
            "Advance classification rulings and legal certainty: evidence from {country}",
            "Classification disputes after the HS 2022 amendments: appeals in {country}",
            "Machine-assisted HS coding of goods descriptions: accuracy and limits in {country}",
        ],
        ["The paper asks why classification errors persist despite advance rulings and what they cost traders and the administration."],
        [
            "Misclassification concentrates in a few chapters, notably machinery and chemicals, and falls sharply where binding rulings are published.",
            "Automated suggestions raised first-time accuracy, but officers still resolved the hardest cases by consulting the Explanatory Notes.",
        ],
    ),
    "valuation": (
        "the determination of customs value",
        [
            "Transfer pricing and customs value: reconciling two regimes in {country}",
            "Valuation databases and the risk of reference prices: lessons from {country}",
            "Post-importation price adjustments under the WTO Valuation Agreement: practice in {region}",
        ],
        ["It examines how administrations reconcile related-party prices set for income tax with the transaction value required at the border."],
        [
            "Administrations that shared transfer-pricing files with the tax authority resolved valuation queries faster and with fewer disputes.",
            "Reliance on reference values persisted where the legal basis for rejecting declared values was weak.",
        ],
    ),
    "origin": (
        "the verification of preferential origin",
        [
            "Origin verification in overlapping regional trade agreements: the case of {country}",
            "Self-certification of origin and the compliance gap in {region}",
            "Preference utilisation and the cost of proving origin: evidence from {country}",
        ],
        ["The study asks whether self-certification of origin has increased preference utilisation without weakening control."],
        [
            "Preference utilisation rose after electronic certificates were introduced, but verification requests to partner administrations often went unanswered.",
            "Small exporters used preferences far less than large firms, mainly because of documentary requirements.",
        ],
    ),
    "revenue": (
        "revenue collection and fair taxation at the border",
        [
            "Customs revenue after tariff liberalisation: the fiscal gap in {country}",
            "Customs-tax cooperation and the recovery of VAT on imports in {country}",
            "Measuring the revenue gap at the border: a method tested in {region}",
        ],
        ["It asks how much revenue is lost at the border and how cooperation between customs and tax authorities can close the gap."],
        [
            "Mirror-trade analysis suggests a revenue gap equal to several per cent of collected duties, concentrated in a few tariff lines.",
            "Joint audits with the tax administration recovered more revenue per audit hour than customs audits alone.",
        ],
    ),
    "pca": (
        "post-clearance audit",
        [
            "Post-clearance audit and voluntary compliance: evidence from {country}",
            "Selecting companies for post-clearance audit with risk scores: a field study in {country}",
            "From transaction control to audit-based control: the post-clearance audit reform in {country}",
        ],
        ["The paper examines whether audit-based control after release changes traders' compliance behaviour."],
        [
            "Firms audited once showed fewer discrepancies in the following two years, and the effect spread to other firms of the same sector.",
            "Audit units with dedicated accounting training recovered more per audit than units staffed by rotation.",
        ],
    ),
    "trade-facilitation": (
        "trade facilitation and the implementation of the WTO Trade Facilitation Agreement",
        [
            "Implementing the WTO Trade Facilitation Agreement in {country}: category C commitments revisited",
            "Border clearance times and trade costs: a decade of reform in {region}",
            "National trade facilitation committees in practice: coordination or formality in {region}?",
        ],
        ["It asks which trade facilitation measures actually shorten clearance times and which remain on paper."],
        [
            "Pre-arrival processing and electronic payment produced the largest gains, while measures depending on other agencies lagged.",
            "National trade facilitation committees were most effective when chaired at ministerial level and given a secretariat.",
        ],
    ),
    "rkc": (
        "simplified procedures under the Revised Kyoto Convention",
        [
            "Twenty years of the Revised Kyoto Convention: accession and practice in {region}",
            "Aligning national customs law with the Revised Kyoto Convention: the experience of {country}",
            "The General Annex of the Revised Kyoto Convention and the digital border in {country}",
        ],
        ["The study examines how far national legislation reflects the standards and transitional standards of the Revised Kyoto Convention."],
        [
            "Most gaps concerned appeals, guarantees and the use of information technology rather than core clearance procedures.",
            "Accession was often followed by long delays before implementing regulations were adopted.",
        ],
    ),
    "ecp": (
        "the WCO Economic Competitiveness Package",
        [
            "The Economic Competitiveness Package as a reform agenda: the case of {country}",
            "Customs and economic competitiveness: the contribution of border agencies in {region}",
        ],
        ["It asks whether the tools of the Economic Competitiveness Package are used together or piecemeal."],
        [
            "Administrations that combined time release measurement with business consultation sustained reforms longer.",
            "Competitiveness gains were largest where customs reforms were coordinated with port and transport authorities.",
        ],
    ),
    "cbm": (
        "coordinated border management",
        [
            "Coordinated border management at one-stop border posts: experience from {country}",
            "Who leads at the border? Inter-agency coordination in {region}",
            "Joint inspections and the division of labour between border agencies in {country}",
        ],
        ["The paper asks how customs and the other border agencies share inspections, data and infrastructure."],
        [
            "Joint inspections cut the number of physical examinations, but only after the agencies agreed on shared risk criteria.",
            "One-stop border posts reduced crossing times, while legal obstacles to delegating powers remained.",
        ],
    ),
    "single-window": (
        "the national Single Window",
        [
            "The national Single Window ten years on: adoption and abandonment in {country}",
            "Interoperability of Single Windows in {region}: technical and legal obstacles",
            "Who pays for the Single Window? Fee models and trader uptake in {country}",
        ],
        ["It examines why some agencies join the Single Window late or keep parallel paper procedures."],
        [
            "Uptake followed the number of agencies connected rather than the technology chosen.",
            "Fee models based on transactions discouraged small traders during the first years.",
        ],
    ),
    "trs": (
        "the measurement of release times",
        [
            "Time Release Studies as a management tool: repeated measurement in {country}",
            "What delays release? Decomposing clearance times at the ports of {country}",
        ],
        ["The study asks what repeated Time Release Studies reveal about where cargo waits and why."],
        [
            "Most of the waiting time occurred before the declaration was lodged and after release, outside the control of customs.",
            "Repeated measurement helped managers sustain reforms when the results were published.",
        ],
    ),
    "transit": (
        "transit regimes and regional connectivity",
        [
            "Transit guarantees and corridor performance: evidence from {region}",
            "Electronic cargo tracking in transit: the pilot in {country}",
            "Regional transit systems and landlocked economies: lessons from {region}",
        ],
        ["It asks how transit guarantees and cargo tracking affect costs and the diversion of goods in transit."],
        [
            "Electronic seals reduced diversion and allowed escorted convoys to be abandoned, but guarantee costs remained high.",
            "Corridor agreements worked where the guarantee was recognised by every country along the route.",
        ],
    ),
    "e-commerce": (
        "cross-border e-commerce",
        [
            "Low-value consignments and the de minimis threshold: revenue and risk in {country}",
            "Cross-border e-commerce and postal traffic: control strategies in {region}",
            "Marketplaces as partners of customs: data sharing for e-commerce in {country}",
        ],
        ["The paper examines how administrations control the growing volume of low-value parcels without slowing them down."],
        [
            "Advance electronic data from postal operators and marketplaces improved targeting, although data quality varied widely.",
            "Lowering the de minimis threshold raised revenue but increased processing costs per parcel.",
        ],
    ),
    "sez": (
        "customs control of free and special economic zones",
        [
            "Free zones and illicit trade: control gaps in {country}",
            "Special economic zones and customs control: a comparative study in {region}",
        ],
        ["It asks whether customs control in free zones keeps pace with the activities now carried out there."],
        [
            "Zones with electronic inventory systems linked to customs reported far fewer discrepancies.",
            "Weak control of goods leaving zones for the domestic market was the main revenue risk.",
        ],
    ),
    "safe-aeo": (
        "supply chain security and Authorized Economic Operator programmes",
        [
            "Do AEO programmes pay off? Benefits reported by certified traders in {country}",
            "Mutual recognition of AEO programmes in {region}: promise and practice",
            "Small and medium-sized enterprises in AEO programmes: barriers in {country}",
        ],
        ["The study asks whether Authorized Economic Operator status brings the benefits traders expect."],
        [
            "Certified operators reported faster release, but benefits under mutual recognition arrangements were rarely felt at foreign borders.",
            "Small firms cited the cost of security investments as the main obstacle to certification.",
        ],
    ),
    "risk-management": (
        "risk management and targeting",
        [
            "Machine-learning risk selection for import declarations: a pilot in {country}",
            "Selectivity rates and detection: rethinking risk management in {country}",
            "Intelligence-led targeting and the regional intelligence liaison offices in {region}",
        ],
        ["It examines how risk profiles are built, reviewed and evaluated, and whether they find what they are meant to find."],
        [
            "A gradient-boosting model doubled the hit rate of documentary checks at the same inspection rate.",
            "Many risk profiles had not been reviewed for years and produced mostly false positives.",
        ],
    ),
    "enforcement-compliance": (
        "enforcement against commercial fraud and illicit trade",
        [
            "Illicit tobacco trade and customs enforcement in {region}",
            "Trade-based money laundering: red flags in the declarations of {country}",
            "Compliance management strategies of the customs administration of {country}",
        ],
        ["The paper asks how customs can detect commercial fraud and illicit flows with limited inspection capacity."],
        [
            "Price anomalies in declarations were a reliable early signal of both undervaluation and trade-based money laundering.",
            "Cooperation with the police and tax authorities produced most of the large seizures.",
        ],
    ),
    "ipr": (
        "border enforcement of intellectual property rights",
        [
            "Counterfeits in small parcels: border enforcement of intellectual property rights in {country}",
            "Applications for action by right holders and ex officio detentions in {region}",
        ],
        ["It examines how customs identify counterfeit goods when most arrive in small consignments."],
        [
            "Detention rates rose where right holders trained officers and answered requests within days.",
            "A simplified destruction procedure for small consignments cut storage costs substantially.",
        ],
    ),
    "security-fragile-borders": (
        "customs in fragile and conflict-affected border areas",
        [
            "Customs in fragile border areas: revenue, security and legitimacy in {region}",
            "Border posts under pressure: customs operations in conflict-affected zones of {region}",
            "Customs and the financing of terrorism: the border dimension in {region}",
        ],
        ["The study asks how customs administrations keep operating and collecting revenue where the state's presence is contested."],
        [
            "Customs posts were often the only state presence, and their revenue financed local administration.",
            "Officers relied on informal arrangements with local actors, which raised integrity risks.",
        ],
    ),
    "nii": (
        "non-intrusive inspection",
        [
            "Scanner images and physical examination: how non-intrusive inspection is used in {country}",
            "The cost-effectiveness of cargo scanners in {region}",
        ],
        ["It asks whether scanning equipment reduces physical examinations or is simply added to them."],
        [
            "Scanners reduced physical examinations only where image analysis was linked to risk management.",
            "Downtime and the lack of trained image analysts limited the return on investment.",
        ],
    ),
    "environment-green-customs": (
        "Green Customs and environmental protection",
        [
            "Green Customs in practice: controlling waste and ozone-depleting substances in {country}",
            "Carbon border adjustment and the role of customs: preparing {country} for a new regime",
            "Wildlife trafficking and customs enforcement in {region}",
        ],
        ["The paper examines the customs role in enforcing environmental agreements and emerging carbon border measures."],
        [
            "Cooperation with environmental agencies improved the detection of illegal waste shipments, but licence checks remained manual.",
            "Administrations held little of the data on embedded emissions that carbon border measures will require.",
        ],
    ),
    "crisis-continuity": (
        "crisis management and supply chain continuity",
        [
            "Keeping goods moving during COVID-19: emergency measures of the customs administration of {country}",
            "Relief consignments and customs: lessons from disasters in {region}",
            "Business continuity in customs administrations after the pandemic: evidence from {region}",
        ],
        ["It asks which emergency measures kept supply chains open during the pandemic and which should be kept."],
        [
            "Electronic submission of documents and remote inspection were adopted within weeks and mostly kept afterwards.",
            "Administrations with continuity plans restored full service markedly faster.",
        ],
    ),
    "data-analytics": (
        "data analytics",
        [
            "Mirror data and trade mis-invoicing: an analysis for {country}",
            "Building a data analytics unit in customs: organisation and skills in {country}",
            "Text mining goods descriptions to detect misdeclaration in {country}",
        ],
        ["The study asks how customs data can be turned into evidence for risk management and policy."],
        [
            "Linking declaration, manifest and payment data exposed inconsistencies that no single source showed.",
            "A small analytics unit produced value only once it had access to production data and a mandate from senior management.",
        ],
    ),
    "new-technologies": (
        "new technologies and the digitalisation of customs",
        [
            "Blockchain for certificates of origin: a pilot between {country} and its partners",
            "Artificial intelligence in customs: opportunities and governance in {region}",
            "Digital customs and the paperless border: the transformation of customs in {country}",
        ],
        ["It asks what new technologies change in customs work and what governance they require."],
        [
            "Pilots delivered technical results, but scaling up depended on the legal recognition of electronic documents.",
            "Officers trusted decision-support tools more when the reasons for a recommendation were shown.",
        ],
    ),
    "integrity": (
        "integrity and the fight against corruption",
        [
            "Integrity risk mapping at border posts: an application in {country}",
            "Rotation, remuneration and integrity in the customs administration of {country}",
            "The Revised Arusha Declaration twenty years on: integrity reforms in {region}",
        ],
        ["The paper examines which integrity measures reduce the opportunities for corruption at the border."],
        [
            "Automated payment and fewer face-to-face contacts cut the reported facilitation payments.",
            "Staff rotation without career planning weakened expertise without a measurable gain in integrity.",
        ],
    ),
    "performance-measurement": (
        "performance measurement",
        [
            "Measuring customs performance: indicators that managers actually use in {country}",
            "Performance contracts at customs offices: evidence from {country}",
            "Benchmarking customs administrations in {region}: data and pitfalls",
        ],
        ["It asks which performance indicators inform decisions and which are reported without being used."],
        [
            "Performance contracts with office managers improved clearance times without reducing detection.",
            "Composite indices were easy to communicate but hid the trade-offs between facilitation and control.",
        ],
    ),
    "strategic-management": (
        "strategic planning and organisational diagnostics",
        [
            "From diagnostic to strategic plan: customs modernisation in {country}",
            "Why customs reform plans stall: implementation in {region}",
        ],
        ["The study asks why modernisation plans built on diagnostics are implemented unevenly."],
        [
            "Plans with few priorities, a budget and a named owner were implemented far more fully.",
            "Changes of leadership were the most frequent cause of interruption.",
        ],
    ),
    "hrm-professionalism": (
        "human resource management and customs professionalism",
        [
            "Competency-based human resource management in the customs administration of {country}",
            "The PICARD Professional Standards and the recruitment of customs officers in {region}",
            "Professionalising customs: career paths and training in {country}",
        ],
        ["It examines how competency frameworks and professional standards shape recruitment, training and careers."],
        [
            "Competency frameworks were adopted widely but linked to promotion in only a few administrations.",
            "The recognition of university qualifications shortened induction training.",
        ],
    ),
    "leadership": (
        "leadership and management development",
        [
            "Leading change in customs: the role of middle managers in {country}",
            "Leadership development programmes and reform outcomes in {region}",
        ],
        ["The paper asks what role middle managers play in sustaining customs reforms."],
        [
            "Reforms lasted longer where middle managers were involved in their design.",
            "Leadership programmes had the most effect when participants carried out a reform project at work.",
        ],
    ),
    "gender-diversity": (
        "gender equality and diversity",
        [
            "Women in customs: careers and barriers to leadership in {region}",
            "Gender-sensitive border procedures for small-scale traders in {country}",
            "Applying the WCO Gender Equality Organizational Assessment Tool in {country}",
        ],
        ["It examines the place of women in customs administrations and the treatment of women traders at the border."],
        [
            "Women were well represented at entry level but scarce in management, and few administrations tracked the gap.",
            "Women small-scale traders faced more informal payments and harassment at crossings.",
        ],
    ),
    "e-learning": (
        "e-learning and blended training",
        [
            "E-learning in customs training: completion and transfer to work in {country}",
            "Blended learning for customs officers in {region}: a comparative study",
        ],
        ["The study asks whether e-learning courses lead to changes in practice."],
        [
            "Completion was high when courses counted for promotion, but transfer to work depended on follow-up by supervisors.",
            "Blended designs outperformed purely online courses on practical tasks.",
        ],
    ),
    "training-evaluation": (
        "the evaluation of customs training",
        [
            "Evaluating customs training beyond satisfaction: a four-level study in {country}",
            "Trainer pools and training quality in {region}",
        ],
        ["It asks how customs administrations evaluate training and what the evaluations show."],
        [
            "Few evaluations went beyond reaction questionnaires; where they did, learning gains faded without practice.",
            "Accredited trainers received consistently better evaluations than trainers chosen ad hoc.",
        ],
    ),
    "stakeholder-partnership": (
        "customs-business partnership",
        [
            "Customs-business consultation and the quality of regulation in {country}",
            "Customs brokers as partners in compliance: evidence from {country}",
            "Partnership with the private sector in {region}: forms and results",
        ],
        ["The paper examines how consultation with traders and brokers shapes customs procedures."],
        [
            "Formal consultation before new procedures reduced the number of later amendments.",
            "The licensing and training of brokers improved the quality of declarations.",
        ],
    ),
    "research-academia": (
        "customs research and academic partnership",
        [
            "Customs as an academic discipline: university programmes in {region}",
            "Research partnerships between customs and universities: the model of {country}",
            "Evidence-based customs policy: how administrations in {region} use research",
        ],
        ["It asks how administrations and universities work together and how research reaches decision makers."],
        [
            "Partnerships lasted when they were tied to a training programme and a data-sharing agreement.",
            "Research was used most when administrations had commissioned it and took part in its design.",
        ],
    ),
}  # fmt: skip
CONTEXTS = [
    "Against the background of {theme}, this paper turns to {phrase} in {place}.",
    "As customs administrations respond to {theme}, {phrase} has moved up the reform agenda in {place}.",
    "This paper contributes to the debate on {theme} by examining {phrase} in {place}.",
    "{Phrase} is central to {theme}, yet the evidence on what works in {place} remains thin.",
]
CONTEXTS_ALONE = [
    "{Phrase} has moved up the reform agenda of customs administrations, and {place} is no exception.",
    "This paper examines {phrase} in {place}, where reforms have been under way for several years.",
    "The evidence on what works in {phrase} remains thin, particularly for {place}.",
]
METHODS = [
    "Drawing on a survey of {n} customs administrations and interviews with {m} senior officials, it compares how the function is organised, staffed and evaluated.",
    "Using declaration-level data for {y1}-{y2}, the study applies a difference-in-differences design to estimate the effect of the reforms introduced during the period.",
    "The paper is a case study based on internal documents, process maps and {m} interviews with officers, brokers and traders.",
    "We combine a systematic review of {n} published studies with a comparative legal analysis of the relevant WCO and WTO instruments.",
    "The analysis rests on a panel of {n} administrations built from WCO and World Bank indicators, complemented by two country case studies.",
    "Through action research with the administration over {k} years, the authors document each stage of the reform and its results.",
    "A mixed-methods design combines a questionnaire answered by {n} officers with focus groups of traders and a review of performance data for {y1}-{y2}.",
]
IMPLICATIONS = [
    "The paper closes with recommendations for administrations planning similar reforms and for the design of capacity-building support.",
    "The results suggest that sequencing, leadership commitment and early engagement of the trade community matter more than technology alone.",
    "Implications for the PICARD Professional Standards and for university curricula in customs are discussed.",
    "We discuss the limits of the evidence and propose indicators that administrations could collect to monitor progress.",
    "The authors argue for closer cooperation between practitioners and researchers in evaluating such reforms.",
    "The findings are most relevant to administrations with limited resources, for which the paper outlines a phased approach.",
]
EXTRA = [
    "The data cover both large ports and small inland offices, which allows the results to be compared across settings.",
    "Particular attention is paid to how the measures affect small and medium-sized enterprises.",
    "Officers' own accounts of the changes are set against the administrative data throughout.",
]
# theme keywords, in order: the first one found in a theme phrase names its topic
THEME_TOPICS = [
    ("e-commerce", "e-commerce"),
    ("supply chain security", "safe-aeo"),
    ("supply chain continuity", "crisis-continuity"),
    ("covid", "crisis-continuity"),
    ("data", "data-analytics"),
    ("anti-corruption", "integrity"),
    ("integrity", "integrity"),
    ("coordinated border", "cbm"),
    ("performance", "performance-measurement"),
    ("curricula", "research-academia"),
    ("research", "research-academia"),
    ("professional", "hrm-professionalism"),
    ("hrm", "hrm-professionalism"),
    ("trade facilitation", "trade-facilitation"),
    ("poverty", "trade-facilitation"),
    ("green", "environment-green-customs"),
    ("sustainability", "environment-green-customs"),
    ("technolog", "new-technologies"),
    ("digital", "new-technologies"),
    ("innovation", "new-technologies"),
    ("revenue", "revenue"),
    ("taxation", "revenue"),
    ("tax cooperation", "revenue"),
    ("financial crisis", "revenue"),
    ("economic security", "revenue"),
    ("gender", "gender-diversity"),
    ("fragile", "security-fragile-borders"),
    ("conflict-zone", "security-fragile-borders"),
    ("security", "security-fragile-borders"),
    ("special economic zones", "sez"),
    ("preferential trade", "origin"),
    ("regional integration", "origin"),
    ("competitiveness package", "ecp"),
    ("illegal trade", "enforcement-compliance"),
    ("enforcement", "enforcement-compliance"),
    ("risk", "risk-management"),
    ("transit", "transit"),
    ("leadership", "leadership"),
    ("strategy", "strategic-management"),
    ("world customs journal", "research-academia"),
]
# the editions whose theme was not found: what their programmes are known to have discussed
FALLBACK_THEMES = {
    5: "Trade facilitation; supply chain security; customs professionalism",
    10: "Transit and regional connectivity; coordinated border management; performance measurement",
    11: "Cross-border e-commerce; integrity; leadership development",
}
KEEP_CAPITAL = {"COVID-19", "Customs", "Economic", "Green", "PICARD", "World"}

OPEN_THEMES = (
    "Customs in the age of artificial intelligence; green and inclusive trade; data-driven risk "
    "management; professionalism and gender equality; cross-border e-commerce; integrity"
)
OPEN_TOPICS = [
    "new-technologies",
    "data-analytics",
    "risk-management",
    "environment-green-customs",
    "gender-diversity",
    "hrm-professionalism",
    "e-commerce",
    "integrity",
]
# the French submissions of the open call, written as such
FRENCH_PAPERS = [
    (
        "L'intelligence artificielle au service du ciblage douanier : retour d'expérience au Sénégal",
        "Cet article analyse l'introduction d'outils d'apprentissage automatique dans la sélection des "
        "déclarations en douane au Sénégal. À partir de trois années de données déclaratives et "
        "d'entretiens avec vingt agents des bureaux de Dakar, il compare les résultats du ciblage "
        "automatisé à ceux des profils de risque classiques. Le taux de découverte des contrôles "
        "documentaires a nettement progressé, mais les agents demandent à comprendre les raisons des "
        "recommandations avant de s'y fier. L'article propose des règles de gouvernance pour les "
        "modèles, un suivi régulier de leur performance et une formation ciblée des analystes, et "
        "discute des conditions de transposition à d'autres administrations d'Afrique de l'Ouest et "
        "du Centre.",
        ["new-technologies", "risk-management"],
        "SN",
    ),
    (
        "Douane verte et économie circulaire : le contrôle des déchets électroniques au Maroc",
        "Les flux de déchets électroniques posent aux douanes un double défi de protection de "
        "l'environnement et de lutte contre la fraude. Cette étude examine les contrôles de la douane "
        "marocaine sur les équipements usagés importés entre 2020 et 2025, à partir des déclarations, "
        "des saisies et d'entretiens avec les services de l'environnement. Elle montre que la "
        "coopération entre administrations améliore la détection, mais que la vérification des "
        "licences reste manuelle et tardive. L'auteur recommande un échange électronique des "
        "autorisations, des profils de risque communs et une formation conjointe des agents, dans "
        "l'esprit de l'initiative Douane verte de l'OMD.",
        ["environment-green-customs", "enforcement-compliance"],
        "MA",
    ),
    (
        "Égalité femmes-hommes dans les administrations douanières d'Afrique centrale",
        "Cet article mesure la place des femmes dans les administrations douanières de quatre pays "
        "d'Afrique centrale à partir des données de gestion du personnel et d'une enquête auprès de "
        "trois cents agents. Les femmes représentent près d'un tiers des recrutements récents, mais "
        "moins d'un dixième des postes de direction. Les obstacles relevés tiennent aux affectations "
        "en zone frontalière, à l'absence de plans de carrière et à la rareté des mesures de "
        "conciliation. L'article présente l'usage de l'outil d'évaluation organisationnelle de "
        "l'égalité des sexes de l'OMD et propose des indicateurs de suivi pour les administrations "
        "de la région.",
        ["gender-diversity", "hrm-professionalism"],
        "CM",
    ),
]
REVIEW_TEXTS = [
    "A well-argued paper on a question that matters to administrations. The method is clear; the "
    "discussion of limitations could be longer and the policy recommendations more specific.",
    "The topic is relevant, but the evidence is thin: the sample is small and the causal claims go "
    "beyond what the data support. A revised version should separate description from inference.",
    "Original and practical. The comparison with other administrations would strengthen it, and the "
    "literature review should include recent work published in the World Customs Journal.",
    "The paper reads more like a project report than research. The authors should state a research "
    "question, explain the method and discuss how the findings generalise.",
    "Solid empirical work with useful lessons for practitioners. Minor points: define the indicators "
    "earlier and shorten the background section.",
]


# --- small helpers -----------------------------------------------------------------------------------


def _ascii(text: str) -> str:
    text = unicodedata.normalize("NFKD", text)
    text = "".join(c for c in text if not unicodedata.combining(c)).replace("ı", "i").replace("ł", "l")
    return "".join(c if c.isalnum() else "." for c in text.lower()).strip(".").replace("..", ".")


def _aware(day: datetime.date, hour: int = 23, minute: int = 59) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour, minute)))


def _lower_first(phrase: str) -> str:
    first = phrase.split()[0] if phrase.split() else ""
    if first in KEEP_CAPITAL or first[1:2].isupper():
        return phrase
    return phrase[:1].lower() + phrase[1:]


def theme_phrases(conference: Conference) -> list[tuple[str, str]]:
    """The conference's theme as (phrase, topic slug) pairs, a phrase with no topic left out."""
    text = conference.theme or FALLBACK_THEMES.get(conference.number or 0, "")
    pairs = []
    for phrase in (part.strip() for part in text.split(";")):
        lowered = phrase.lower()
        slug = next((slug for word, slug in THEME_TOPICS if word in lowered), None)
        if phrase and slug:
            pairs.append((phrase, slug))
    return pairs


def _words(text: str) -> int:
    return len(text.split())


class _People:
    """The demo's authors and reviewers: who they are and where they work."""

    def __init__(self, rng: random.Random, members: dict[str, Member], offices: dict[str, Office]):
        self.rng, self.members, self.offices = rng, members, offices
        self.rows: list[dict] = []  # person, kind, institution, member, office, country, weight
        self.used_names: set[str] = set()
        self.emails: set[str] = {email.lower() for email in Person.objects.values_list("email", flat=True)}

    def _name(self, country: str) -> tuple[str, str, str]:
        women, men, surnames = NAMES.get(country) or NAMES["GB"]
        for _attempt in range(40):
            female = self.rng.random() < 0.45
            first = self.rng.choice(women if female else men)
            surname = self.rng.choice(surnames)
            last = surname if isinstance(surname, str) else surname[1 if female else 0]
            if name_key(first, last) not in self.used_names:
                self.used_names.add(name_key(first, last))
                return first, last, Gender.FEMALE if female else Gender.MALE
        raise RuntimeError(f"No free demo name for {country}")

    def _email(self, first: str, last: str, domain: str) -> str:
        base = f"{_ascii(first)}.{_ascii(last)}"
        email, number = f"{base}@{domain}", 1
        while email in self.emails:
            number += 1
            email = f"{base}{number}@{domain}"
        self.emails.add(email)
        return email

    def add(self, country: str, kind: str, *, institution: str = "", domain: str = "", office=None):
        member = self.members.get(country)
        if member is None:
            return None
        first, last, gender = self._name(country)
        if kind == AffiliationKind.ADMINISTRATION:
            domain, title = f"customs.{country.lower()}.example", self.rng.choice(PRACTITIONER_TITLES)
        elif kind == AffiliationKind.OFFICE:
            domain, title = "wcoomd.example", self.rng.choice(WCO_TITLES)
        elif kind == AffiliationKind.COMPANY:
            title = self.rng.choice(COMPANY_TITLES)
        else:
            title = self.rng.choice(ACADEMIC_TITLES)
        person = Person(
            first_name=first,
            last_name=last,
            email=self._email(first, last, domain),
            # The registry's administration: a customs officer's own; others are not anchored.
            member=member if kind == AffiliationKind.ADMINISTRATION else None,
            gender=gender,
            job_title=title,
            name_key=name_key(first, last),
        )
        row = {
            "person": person,
            "kind": kind,
            "institution": institution,
            "member": member if kind == AffiliationKind.ADMINISTRATION else None,
            "office": office,
            "country": member,
            # a few prolific authors, many occasional ones
            "weight": min(5.0, self.rng.paretovariate(2.0)),
        }
        self.rows.append(row)
        return row

    def build(self) -> None:
        for name, country, domain in UNIVERSITIES:
            for _index in range(self.rng.choice([2, 2, 3, 3, 4])):
                self.add(country, AffiliationKind.UNIVERSITY, institution=name, domain=domain)
        for country, count in ADMINISTRATIONS.items():
            for _index in range(count):
                self.add(country, AffiliationKind.ADMINISTRATION)
        for name, country, domain in COMPANIES:
            for _index in range(self.rng.choice([1, 2])):
                self.add(country, AffiliationKind.COMPANY, institution=name, domain=domain)
        for code, country in WCO_STAFF:
            office = self.offices.get(code)
            if office is not None:
                self.add(country, AffiliationKind.OFFICE, office=office)
        Person.objects.bulk_create([row["person"] for row in self.rows], batch_size=500)
        saved = {p.email: p for p in Person.objects.filter(email__in=[r["person"].email for r in self.rows])}
        for row in self.rows:
            row["person"] = saved[row["person"].email]

    def region_code(self, row) -> str:
        if row["office"] is not None and row["office"].region_id:
            return row["office"].region.code
        return row["country"].region.code


# --- the build ---------------------------------------------------------------------------------------


class _Builder:
    def __init__(self, rng: random.Random, publish_editions: int, progress):
        self.rng, self.publish_editions, self.progress = rng, publish_editions, progress
        self.now = timezone.now()
        self.secretariat = User.objects.filter(username="secretariat").first() or (
            User.objects.filter(role="secretariat").order_by("pk").first()
        )
        if self.secretariat is None:
            raise RuntimeError("The demo conferences need the demo users: run `manage.py demo_users` first.")
        self.topics = {topic.slug: topic for topic in Topic.objects.filter(parent__isnull=False)}
        self.known_slugs = [slug for slug in TOPIC_TEXT if slug in self.topics]
        members = {m.iso_alpha2: m for m in Member.objects.select_related("region")}
        offices = {o.code: o for o in Office.objects.select_related("region")}
        self.members, self.offices = members, offices
        self.people = _People(rng, members, offices)
        self.titles: set[str] = set(Submission.objects.values_list("title", flat=True))
        self.coauthors: dict[int, set[int]] = {}  # person pk -> people they wrote with
        self.by_person: dict[int, dict] = {}

    # people

    def authors(self) -> None:
        self.people.build()
        self.by_person = {row["person"].pk: row for row in self.people.rows}
        self.rafael = self._account_person(
            "researcher", "Rafael", "Researcher", job_title="Senior Lecturer in Customs Administration"
        )
        self.rafael_row = {
            "person": self.rafael,
            "kind": AffiliationKind.UNIVERSITY,
            "institution": "Charles Sturt University, Centre for Customs and Excise Studies",
            "member": None,
            "office": None,
            "country": self.members.get("AU"),
            "weight": 0.0,  # on the papers chosen for him, not drawn at random
        }
        self.by_person[self.rafael.pk] = self.rafael_row

    def _account_person(self, username: str, first: str, last: str, **fields) -> Person | None:
        """The demo account's own person (the roster's, if `demo_experts` made one)."""
        user = User.objects.filter(username=username).first()
        if user is None:
            return None
        person = Person.objects.filter(user=user).first()
        if person is None:
            person = Person.objects.filter(email__iexact=user.email).first() if user.email else None
            if person is not None and person.user_id is None:
                person.user = user
                person.save(update_fields=["user", "updated_at"])
        if person is None:
            first, last = user.first_name or first, user.last_name or last
            person = Person.objects.create(
                first_name=first,
                last_name=last,
                email=(user.email or "").lower(),
                member=user.member,
                user=user,
                name_key=name_key(first, last),
                **fields,
            )
        return person

    def _pick_authors(self, first: dict | None = None) -> list[dict]:
        rows = self.people.rows
        if first is None:
            first = self.rng.choices(rows, weights=[row["weight"] for row in rows])[0]
        count = self.rng.choices([1, 2, 3, 4], weights=[25, 40, 25, 10])[0]
        team = [first]
        while len(team) < count:
            lead = team[0]
            earlier = [
                self.by_person[pk] for pk in self.coauthors.get(lead["person"].pk, ()) if pk in self.by_person
            ]
            draw = self.rng.random()
            if earlier and draw < 0.35:
                candidate = self.rng.choice(earlier)
            elif draw < 0.75:
                colleagues = [
                    row
                    for row in rows
                    if row["country"] == lead["country"]
                    or (row["institution"] and row["institution"] == lead["institution"])
                ]
                candidate = self.rng.choice(colleagues or rows)
            else:
                candidate = self.rng.choices(rows, weights=[row["weight"] for row in rows])[0]
            if all(candidate["person"].pk != member["person"].pk for member in team):
                team.append(candidate)
            elif len(team) == 1 and self.rng.random() < 0.3:
                break
        return team

    # text

    def _place(self, team: list[dict]) -> tuple[str, str, Member]:
        lead = team[0]
        if lead["kind"] == AffiliationKind.OFFICE:
            region = lead["office"].region
            pool = [m for m in self.members.values() if region is None or m.region_id == region.pk]
            country = self.rng.choice(sorted(pool, key=lambda m: m.iso_alpha2))
        else:
            country = lead["country"]
        name = COUNTRY.get(country.iso_alpha2, country.name)
        return name, REGION.get(country.region.code, country.region.name), country

    def paper_text(self, team: list[dict], pairs: list[tuple[str, str]], slugs: list[str], year: int):
        """A title, an abstract of 80-150 words and the paper's topics."""
        usable = [(phrase, slug) for phrase, slug in pairs if slug in self.topics]
        primary = self.rng.choice(usable)[1] if usable and self.rng.random() < 0.8 else self.rng.choice(slugs)
        # the abstract opens on another strand of the theme than its own topic
        others = [
            phrase
            for phrase, slug in usable
            if slug != primary and not phrase.lower().startswith(("launch", "draft"))
        ]
        theme = self.rng.choice(others) if others else None
        phrase, titles, questions, findings = TOPIC_TEXT[primary]
        country, region, member = self._place(team)
        for _attempt in range(30):
            title = self.rng.choice(titles).format(country=country, region=region)
            if title not in self.titles:
                break
            country, region, member = self._place([self.rng.choice(self.people.rows)])
        else:
            title = f"{title} ({self.rng.randint(2, 9)})"
        self.titles.add(title)
        place = country if self.rng.random() < 0.7 else region
        context = self.rng.choice(CONTEXTS if theme else CONTEXTS_ALONE)
        first_sentence = context.format(
            theme=_lower_first(theme or ""),
            phrase=phrase,
            Phrase=phrase[:1].upper() + phrase[1:],
            place=place,
        )
        y2 = year - self.rng.randint(1, 3)
        method = self.rng.choice(METHODS).format(
            n=self.rng.randint(12, 60),
            m=self.rng.randint(15, 45),
            k=self.rng.randint(2, 5),
            y1=y2 - self.rng.randint(3, 7),
            y2=y2,
        )
        chosen = self.rng.sample(findings, k=len(findings))
        parts = [first_sentence, self.rng.choice(questions), method, *chosen, self.rng.choice(IMPLICATIONS)]
        abstract = " ".join(parts)
        extras = self.rng.sample(EXTRA, k=len(EXTRA))
        while _words(abstract) < 80 and extras:
            parts.insert(3, extras.pop())
            abstract = " ".join(parts)
        if _words(abstract) > 150:
            parts.remove(chosen[-1])
            abstract = " ".join(parts)
        topics = [primary]
        if self.rng.random() < 0.5:
            other = self.rng.choice([slug for _p, slug in usable if slug != primary] or self.known_slugs)
            if other != primary:
                topics.append(other)
        return title, abstract, topics

    # past conferences

    def past(self) -> dict[str, int]:
        conferences = list(
            Conference.objects.filter(
                kind=ConferenceKind.PICARD, number__lt=OPEN_EDITION, number__isnull=False
            )
            .exclude(calls__isnull=False)
            .order_by("number")
        )
        # Rafael's past papers: the 14th (2019) and the 16th (2021) editions
        rafael_editions = {14, 16}
        papers, published = [], []
        for conference in conferences:
            call = self._past_call(conference)
            accepted = 7 + round(conference.number * 0.55)
            rejected = round(accepted * 0.25) + self.rng.randint(0, 2)
            pairs = theme_phrases(conference)
            slugs = [slug for _p, slug in pairs if slug in self.topics] or self.known_slugs
            statuses = [SubmissionStatus.ACCEPTED_PAPER] * accepted + [SubmissionStatus.REJECTED] * rejected
            for index in range(accepted // 6):
                statuses[accepted - 1 - index] = SubmissionStatus.ACCEPTED_POSTER
            self.rng.shuffle(statuses)
            if conference.number in rafael_editions:
                statuses[statuses.index(SubmissionStatus.ACCEPTED_PAPER)] = "rafael"
            for status in statuses:
                if status == "rafael" and self.rafael is not None:
                    team = [self.rafael_row, *self._pick_authors()[:2]]
                    team = list({row["person"].pk: row for row in team}.values())
                    status = SubmissionStatus.ACCEPTED_PAPER
                else:
                    status = SubmissionStatus.ACCEPTED_PAPER if status == "rafael" else status
                    team = self._pick_authors()
                title, abstract, topics = self.paper_text(team, pairs, slugs, conference.year)
                submitted = call.abstract_deadline - datetime.timedelta(days=self.rng.randint(0, 20))
                decided = call.paper_deadline + datetime.timedelta(days=self.rng.randint(10, 25))
                papers.append(
                    (
                        Submission(
                            call=call,
                            title=title,
                            abstract=abstract,
                            language="en",
                            status=status,
                            submitted_at=submitted,
                            decided_at=decided,
                            decision_note=(
                                ""
                                if status != SubmissionStatus.REJECTED
                                else "The committee found the topic relevant but the evidence too limited for this edition."
                            ),
                        ),
                        team,
                        topics,
                        conference.number,
                    )
                )
        self._write_papers(papers)
        last = (
            sorted({number for *_rest, number in papers})[-self.publish_editions :]
            if self.publish_editions
            else []
        )
        for submission, _team, _topics, number in papers:
            if number in last and submission.status in (
                SubmissionStatus.ACCEPTED_PAPER,
                SubmissionStatus.ACCEPTED_POSTER,
            ):
                published.append(submission)
        if published:
            self.progress(
                f"conferences: publishing the {len(published)} papers of the last {len(last)} editions"
            )
        for submission in published:
            services.paper_publish(submission)
        return {
            "past calls": len(conferences),
            "past papers": len(papers),
            "published papers": len(published),
        }

    def _past_call(self, conference: Conference) -> Call:
        start = conference.starts_on or datetime.date(conference.year, 9, 15)
        january = datetime.date(conference.year, 1, 10)
        abstract = max(january, start - datetime.timedelta(days=150))
        paper = max(abstract + datetime.timedelta(days=14), start - datetime.timedelta(days=90))
        camera = max(paper + datetime.timedelta(days=7), start - datetime.timedelta(days=30))
        themes = conference.theme or FALLBACK_THEMES.get(conference.number, "")
        topics = [self.topics[slug] for _p, slug in theme_phrases(conference) if slug in self.topics]
        call = Call.objects.create(
            conference=conference,
            title=f"Call for papers, {ordinal(conference.number)} PICARD Conference {conference.year}",
            status=CallStatus.DECIDED,
            themes=themes,
            abstract_deadline=_aware(abstract),
            paper_deadline=_aware(paper),
            camera_ready_deadline=_aware(camera),
            languages=["en", "fr"] if conference.number >= 7 else ["en"],
            review_mode=ReviewMode.DOUBLE_BLIND,
        )
        call.topics.set(set(topics))
        for position, (name, may_review, sees_all, others, names, may_bid) in enumerate(
            services.DEFAULT_PHASES
        ):
            call.phases.create(
                name=name,
                position=position,
                is_active=name == "Decisions",
                may_review=may_review,
                sees_all_papers=sees_all,
                other_reviews=others,
                author_names_shown=names,
                may_bid=may_bid,
                ends_at=call.camera_ready_deadline if may_review else None,
            )
        return call

    def _write_papers(self, papers) -> None:
        Submission.objects.bulk_create([submission for submission, *_rest in papers], batch_size=500)
        authorships, topic_links = [], []
        through = Submission.topics.through
        for submission, team, topics, _number in papers:
            for position, row in enumerate(team, start=1):
                authorships.append(
                    Authorship(
                        submission=submission,
                        person=row["person"],
                        position=position,
                        affiliation_kind=row["kind"],
                        institution=row["institution"],
                        member=row["member"],
                        office=row["office"],
                        is_contact=position == 1,
                    )
                )
                for other in team:
                    if other["person"].pk != row["person"].pk:
                        self.coauthors.setdefault(row["person"].pk, set()).add(other["person"].pk)
            topic_links += [
                through(submission_id=submission.pk, topic_id=self.topics[slug].pk)
                for slug in dict.fromkeys(topics)
            ]
        Authorship.objects.bulk_create(authorships, batch_size=1000)
        through.objects.bulk_create(topic_links, batch_size=1000)

    # the open call

    def open_call(self) -> dict[str, int]:
        year = self.now.year + 1
        conference = services.conference_create(
            user=self.secretariat,
            data={
                "kind": ConferenceKind.PICARD,
                "number": OPEN_EDITION,
                "title": f"{ordinal(OPEN_EDITION)} PICARD Conference",
                "year": year,
                "starts_on": datetime.date(year, 10, 13),
                "ends_on": datetime.date(year, 10, 15),
                "city": "Brussels",
                "country": "Belgium",
                "format": "hybrid",
                "host": "WCO (HQ)",
                "theme": OPEN_THEMES,
            },
        )
        conference.dates = f"13-15 October {year}"
        conference.save(update_fields=["dates", "updated_at"])
        today = timezone.localdate()
        call = services.call_create(
            user=self.secretariat,
            conference=conference,
            data={
                "title": f"Call for papers, {ordinal(OPEN_EDITION)} PICARD Conference {year}",
                "themes": OPEN_THEMES,
                "abstract_deadline": _aware(today + datetime.timedelta(days=30)),
                "paper_deadline": _aware(today + datetime.timedelta(days=61)),
                "camera_ready_deadline": _aware(today + datetime.timedelta(days=122)),
                "languages": ["en", "fr"],
                "review_mode": ReviewMode.DOUBLE_BLIND,
                "reviewers_per_paper": 3,
                "reviewer_load": 6,
                "topics": [self.topics[slug] for slug in OPEN_TOPICS if slug in self.topics],
            },
        )
        services.call_update(user=self.secretariat, call=call, data={"status": CallStatus.OPEN})
        submissions = self._open_submissions(call)
        reviewers = self._pool(conference)
        conflicts = self._conflicts(call, submissions, reviewers)
        bids = self._bids(submissions, reviewers)
        reviewing = call.phases.get(position=1)
        services.phase_activate(user=self.secretariat, phase=reviewing)
        assignments, reviews = self._assign(call, submissions, reviewers)
        return {
            "open-call submissions": len(submissions),
            "reviewers": len(reviewers),
            "conflicts": conflicts,
            "bids": bids,
            "assignments": assignments,
            "reviews": reviews,
        }

    def _open_submissions(self, call: Call) -> list[Submission]:
        pairs = theme_phrases(Conference(theme=OPEN_THEMES))
        slugs = [slug for slug in OPEN_TOPICS if slug in self.topics] or self.known_slugs
        papers = []
        for index in range(22):
            if index == 3 and self.rafael is not None:
                team = [
                    self.rafael_row,
                    *[row for row in self._pick_authors() if row["person"].pk != self.rafael.pk][:1],
                ]
            else:
                team = self._pick_authors()
            title, abstract, topics = self.paper_text(team, pairs, slugs, self.now.year)
            papers.append((title, abstract, topics, team, "en"))
        for title, abstract, topics, country in FRENCH_PAPERS:
            rows = [row for row in self.people.rows if row["country"].iso_alpha2 == country]
            team = [self.rng.choice(rows)] if rows else self._pick_authors()[:1]
            papers.append((title, abstract, [slug for slug in topics if slug in self.topics], team, "fr"))
        rafael_user = self.rafael.user if self.rafael is not None else None
        submissions = []
        for title, abstract, topics, team, language in papers:
            self.titles.add(title)
            mine = rafael_user is not None and team[0]["person"].pk == self.rafael.pk
            submission = Submission(
                call=call,
                title=title,
                abstract=abstract,
                language=language,
                status=SubmissionStatus.SUBMITTED,
                submitted_at=self.now
                - datetime.timedelta(days=self.rng.randint(1, 25), hours=self.rng.randint(0, 23)),
                created_by=rafael_user if mine else None,
            )
            submissions.append((submission, team, topics, None))
        self._write_papers(submissions)
        for submission, *_rest in submissions:
            services.audit(call, submission.created_by, "submitted", submission.title, submission)
        return [submission for submission, *_rest in submissions]

    def _pool(self, conference: Conference) -> list[Reviewer]:
        """About thirty reviewers: past authors (academics and practitioners from every region), a
        few practitioners new to PICARD, and the demo `expert` account."""
        rows = self.people.rows
        papers_of = {pk: len(others) for pk, others in self.coauthors.items()}
        seasoned = sorted(
            (row for row in rows if row["person"].pk in papers_of),
            key=lambda row: (-row["weight"], row["person"].pk),
        )
        chosen, regions = [], {}
        for row in seasoned:
            region = self.people.region_code(row)
            if regions.get(region, 0) >= 5:
                continue
            regions[region] = regions.get(region, 0) + 1
            chosen.append(row)
            if len(chosen) == 23:
                break
        for country in ["NG", "PE", "VN", "OM", "UZ", "RW"]:
            row = self.people.add(country, AffiliationKind.ADMINISTRATION)
            if row is not None:
                row["weight"] = 0.0
                chosen.append(row)
        fresh = [row["person"] for row in chosen if row["person"].pk is None]
        Person.objects.bulk_create(fresh)
        saved = {p.email: p for p in Person.objects.filter(email__in=[person.email for person in fresh])}
        for row in chosen:
            if row["person"].pk is None:
                row["person"] = saved[row["person"].email]
                self.by_person[row["person"].pk] = row
        reviewers, topic_links = [], []
        through = Reviewer.topics.through
        for index, row in enumerate(chosen):
            native = LANGUAGE_OF.get(row["country"].iso_alpha2, "en")
            languages = list(
                dict.fromkeys([native, "en"] if self.rng.random() < 0.9 or native == "en" else [native, "fr"])
            )
            topics = self._topics_of(row["person"].pk) or self.rng.sample(self.known_slugs, k=3)
            academic = row["kind"] in (AffiliationKind.UNIVERSITY, AffiliationKind.COMPANY)
            institution = row["institution"] or str(row["office"] or row["member"] or "")
            reviewers.append(
                (
                    Reviewer(
                        conference=conference,
                        person=row["person"],
                        kind=ReviewerKind.ACADEMIC if academic else ReviewerKind.PRACTITIONER,
                        on_committee=index < 8,
                        institution=institution[:200],
                        expertise=self._expertise(row, topics),
                        languages=languages,
                        max_load=self.rng.choice([None, None, 4, 5, 6]),
                    ),
                    topics,
                )
            )
        expert = self._account_person(
            "expert", "Elena", "Expert", job_title="Senior Customs Officer, Risk Management"
        )
        if expert is not None:
            topics = ["risk-management", "pca", "data-analytics"]
            reviewers.append(
                (
                    Reviewer(
                        conference=conference,
                        person=expert,
                        kind=ReviewerKind.PRACTITIONER,
                        institution=str(expert.member or "")[:200],
                        expertise=(
                            "Risk management and post-clearance audit practitioner; designed risk profiles "
                            "for import declarations and trained audit teams in her administration."
                        ),
                        languages=["en", "es"],
                        max_load=4,
                    ),
                    [slug for slug in topics if slug in self.topics],
                )
            )
            self.expert = expert
        else:
            self.expert = None
        Reviewer.objects.bulk_create([reviewer for reviewer, _topics in reviewers])
        for reviewer, topics in reviewers:
            topic_links += [
                through(reviewer_id=reviewer.pk, topic_id=self.topics[slug].pk)
                for slug in dict.fromkeys(topics)
            ]
        through.objects.bulk_create(topic_links)
        return [reviewer for reviewer, _topics in reviewers]

    def _topics_of(self, person_pk: int) -> list[str]:
        slugs = list(
            Submission.topics.through.objects.filter(submission__authorships__person_id=person_pk)
            .values_list("topic__slug", flat=True)
            .distinct()[:4]
        )
        return [slug for slug in slugs if slug in self.topics]

    def _expertise(self, row: dict, topics: list[str]) -> str:
        areas = ", ".join(TOPIC_TEXT[slug][0] for slug in topics if slug in TOPIC_TEXT)
        if row["kind"] == AffiliationKind.UNIVERSITY:
            return f"Research and teaching on {areas}; supervises doctoral work on customs reform."
        if row["kind"] == AffiliationKind.COMPANY:
            return f"Advises traders and administrations on {areas}; {self.rng.randint(8, 25)} years in trade compliance."
        if row["kind"] == AffiliationKind.OFFICE:
            return f"WCO capacity-building work on {areas} with administrations of several regions."
        return f"{self.rng.randint(6, 25)} years in customs; led projects on {areas}."

    def _conflicts(self, call: Call, submissions: list[Submission], reviewers: list[Reviewer]) -> int:
        """Standing conflicts on profiles, conflicts authors declared, and two chairs' pins."""
        standing = []
        for reviewer in reviewers[:12]:
            person = reviewer.person
            row = self.by_person.get(person.pk)
            partners = sorted(self.coauthors.get(person.pk, ()))
            if partners and len(standing) < 4:
                standing.append(
                    StandingConflict(
                        person=person,
                        other_person_id=partners[0],
                        kind=ConflictKind.COLLABORATOR,
                        note="We wrote a paper together for an earlier PICARD conference.",
                    )
                )
            elif row and row["member"] is not None and len(standing) < 7:
                standing.append(
                    StandingConflict(
                        person=person,
                        member=row["member"],
                        kind=ConflictKind.INSTITUTIONAL,
                        note="My own administration.",
                    )
                )
            elif row and row["institution"] and len(standing) < 10:
                standing.append(
                    StandingConflict(
                        person=person,
                        institution=row["institution"],
                        kind=ConflictKind.INSTITUTIONAL,
                        note="My employer.",
                    )
                )
        if self.expert is not None and self.expert.member_id:
            standing.append(
                StandingConflict(
                    person=self.expert,
                    member=self.expert.member,
                    kind=ConflictKind.INSTITUTIONAL,
                    note="My own administration.",
                )
            )
        StandingConflict.objects.bulk_create(standing)
        declared = []
        for submission in submissions[::6]:
            reviewer = self.rng.choice(
                [r for r in reviewers if r.person_id != getattr(self.expert, "pk", None)]
            )
            if not submission.authorships.filter(person=reviewer.person).exists():
                declared.append(
                    DeclaredConflict(
                        submission=submission,
                        person=reviewer.person,
                        kind=self.rng.choice([ConflictKind.PERSONAL, ConflictKind.ADVISOR]),
                        note="Declared by the authors when submitting.",
                    )
                )
        DeclaredConflict.objects.bulk_create(declared)
        pins = 0
        for submission, reviewer, is_conflict, why in [
            (
                submissions[-4],
                reviewers[9],
                True,
                "Reviewer and first author ran a joint WCO project in 2025.",
            ),
            (
                submissions[-5],
                reviewers[10],
                False,
                "Same large university, different faculty; they have never worked together.",
            ),
        ]:
            if not submission.authorships.filter(person=reviewer.person).exists():
                services.conflict_pin(
                    user=self.secretariat,
                    submission=submission,
                    reviewer=reviewer,
                    is_conflict=is_conflict,
                    justification=why,
                    kind=ConflictKind.COLLABORATOR if is_conflict else ConflictKind.INSTITUTIONAL,
                )
                pins += 1
        return len(standing) + len(declared) + pins

    def _bids(self, submissions: list[Submission], reviewers: list[Reviewer]) -> int:
        """Preferences of the first eighteen reviewers on a few papers each; "I have a conflict"
        on papers by their co-authors."""
        authors = {
            submission.pk: set(submission.authorships.values_list("person_id", flat=True))
            for submission in submissions
        }
        bids = []
        for reviewer in reviewers[:18]:
            partners = self.coauthors.get(reviewer.person_id, set()) - {reviewer.person_id}
            theirs = [s for s in submissions if reviewer.person_id in authors[s.pk]]
            related = [s for s in submissions if authors[s.pk] & partners and s not in theirs]
            for submission in related[:2]:
                bids.append(Bid(reviewer=reviewer, submission=submission, value=BidValue.CONFLICT))
            others = [s for s in submissions if s not in theirs and s not in related]
            for submission in self.rng.sample(others, k=min(6, len(others))):
                value = self.rng.choices(
                    [BidValue.EAGER, BidValue.WILLING, BidValue.NEUTRAL, BidValue.RATHER_NOT], [3, 4, 2, 1]
                )[0]
                bids.append(Bid(reviewer=reviewer, submission=submission, value=value))
        Bid.objects.bulk_create(bids)
        return len(bids)

    def _assign(
        self, call: Call, submissions: list[Submission], reviewers: list[Reviewer]
    ) -> tuple[int, int]:
        """A first round of assignments on about half the papers, with no conflict, and the
        reviews written so far; the demo `expert` has two papers to review."""
        topics_of = {
            reviewer.pk: set(reviewer.topics.values_list("slug", flat=True)) for reviewer in reviewers
        }
        paper_topics = {
            submission.pk: set(submission.topics.values_list("slug", flat=True)) for submission in submissions
        }
        bids = {
            (bid.reviewer_id, bid.submission_id): bid.value
            for bid in Bid.objects.filter(submission__call=call)
        }
        load: dict[int, int] = {}
        pairs = []

        def score(reviewer, submission) -> tuple[float, str]:
            shared = topics_of[reviewer.pk] & paper_topics[submission.pk]
            bid = bids.get((reviewer.pk, submission.pk), 0)
            value = 0.35 + 0.2 * len(shared) + 0.1 * max(bid, 0) + self.rng.uniform(0, 0.1)
            labels = ", ".join(sorted(self.topics[slug].label_en for slug in shared))
            why = f"Shared topics: {labels}" if shared else "Expertise close to the abstract"
            if bid > 0:
                why += f"; bid: {BidValue(bid).label}"
            return min(round(value, 4), 1.0), why

        # The project's own conflict rules (conferences.conflicts), read once for the whole call.
        from conferences.conflicts import conflicts_between

        conflicted = conflicts_between(reviewers, submissions)

        def free(reviewer, submission) -> bool:
            limit = reviewer.max_load or call.reviewer_load
            if not (
                load.get(reviewer.pk, 0) < min(limit, 4)
                and submission.language in reviewer.languages
                and bids.get((reviewer.pk, submission.pk), 0) >= 0
            ):
                return False
            return (reviewer.pk, submission.pk) not in conflicted

        expert = next(
            (r for r in reviewers if self.expert is not None and r.person_id == self.expert.pk), None
        )
        targets = [s for s in submissions if s.language == "en"][::2] + [
            s for s in submissions if s.language == "fr"
        ][:1]
        if expert is not None:
            mine = sorted(
                (s for s in targets if free(expert, s)),
                key=lambda s: (-len(topics_of[expert.pk] & paper_topics[s.pk]), s.pk),
            )[:2]
            for submission in mine:
                pairs.append((submission, expert))
                load[expert.pk] = load.get(expert.pk, 0) + 1
        for submission in targets:
            wanted = self.rng.choice([2, 3])
            have = sum(1 for s, _r in pairs if s.pk == submission.pk)
            ranked = sorted(
                (r for r in reviewers if r is not expert and free(r, submission)),
                key=lambda r: (-score(r, submission)[0], r.pk),
            )
            for reviewer in ranked[: max(0, wanted - have)]:
                pairs.append((submission, reviewer))
                load[reviewer.pk] = load.get(reviewer.pk, 0) + 1
        assignments = []
        for submission, reviewer in pairs:
            affinity, why = score(reviewer, submission)
            assignments.append(
                Assignment(
                    submission=submission,
                    reviewer=reviewer,
                    affinity=affinity,
                    explanation=why[:500],
                    by_hand=False,
                    assigned_by=self.secretariat,
                )
            )
        Assignment.objects.bulk_create(assignments)
        for assignment in assignments:
            services.audit(
                call,
                self.secretariat,
                "assigned by the solver",
                f"{assignment.reviewer.person}: {assignment.explanation}",
                assignment.submission,
            )
        reviews = []
        for assignment in assignments:
            if expert is not None and assignment.reviewer_id == expert.pk:
                continue  # the demo expert's papers wait for her
            if self.rng.random() < 0.4:
                continue
            done = self.rng.random() < 0.75
            base = self.rng.choice([2, 3, 3, 4, 4, 5])
            scores = {
                name: max(1, min(5, base + self.rng.choice([-1, 0, 0, 1])))
                for name in ("relevance", "originality", "rigour", "practical_value", "clarity")
            }
            reviews.append(
                Review(
                    assignment=assignment,
                    **(scores if done else {"relevance": scores["relevance"]}),
                    confidence=self.rng.randint(2, 5) if done else None,
                    to_authors=self.rng.choice(REVIEW_TEXTS),
                    to_committee=""
                    if self.rng.random() < 0.7
                    else "Borderline; I would accept it as a poster.",
                    submitted_at=self.now - datetime.timedelta(days=self.rng.randint(0, 6)) if done else None,
                )
            )
        Review.objects.bulk_create(reviews)
        for review in reviews:
            if review.submitted_at:
                services.audit(
                    call,
                    review.assignment.reviewer.person.user,
                    "review submitted",
                    f"{review.assignment.reviewer.person}: {review.overall}",
                    review.assignment.submission,
                )
        reviewed = [r for r in reviews if r.submitted_at]
        if reviewed:
            Comment.objects.create(
                submission=reviewed[0].assignment.submission,
                author=self.secretariat,
                text="The reviews diverge on the method; could the reviewers discuss whether the sample supports the conclusions?",
            )
        return len(assignments), len(reviews)

    # the regional conference

    def regional(self) -> dict[str, int]:
        region = Region.objects.filter(code="A/P").first()
        if region is None:
            return {}
        officer = User.objects.filter(role="rocb_officer", region=region).order_by("pk").first()
        chair = officer or self.secretariat
        year = self.now.year + 1
        data = {
            "title": f"Asia/Pacific Regional Customs Research Conference {year}",
            "year": year,
            "starts_on": datetime.date(year, 6, 16),
            "ends_on": datetime.date(year, 6, 17),
            "city": "Bangkok",
            "country": "Thailand",
            "format": "in person",
            "host": "ROCB Asia/Pacific",
            "theme": "Research for regional customs reform: e-commerce, data analytics and the digital border",
        }
        if officer is None:
            data.update(kind=ConferenceKind.REGIONAL, region=region)
        conference = services.conference_create(user=chair, data=data)
        conference.host_office = self.offices.get("rocb-ap")
        conference.dates = f"16-17 June {year}"
        conference.save(update_fields=["host_office", "dates", "updated_at"])
        today = timezone.localdate()
        services.call_create(
            user=chair,
            conference=conference,
            data={
                "title": f"Call for papers, Asia/Pacific Regional Customs Research Conference {year}",
                "themes": data["theme"],
                "abstract_deadline": _aware(today + datetime.timedelta(days=75)),
                "paper_deadline": _aware(today + datetime.timedelta(days=120)),
                "camera_ready_deadline": _aware(today + datetime.timedelta(days=165)),
                "languages": ["en"],
                "review_mode": ReviewMode.SINGLE_BLIND,
                "reviewers_per_paper": 2,
                "topics": [
                    self.topics[slug]
                    for slug in ("e-commerce", "data-analytics", "new-technologies")
                    if slug in self.topics
                ],
            },
        )
        return {"regional conferences": 1}


def _link_good_practice(rafael: Person | None) -> int:
    """Rafael co-authors an Asia/Pacific good-practice report of the knowledge base (a demo
    document if `demo_documents` made one, else one written here)."""
    from knowledge.models import Document, DocumentKind, Visibility

    if rafael is None:
        return 0
    reports = Document.objects.filter(kind=DocumentKind.GOOD_PRACTICE, region__code="A/P")
    if reports.filter(author_people=rafael).exists():
        return 0
    report = (
        reports.filter(visibility=Visibility.PUBLIC).order_by("pk").first()
        or reports.filter(visibility=Visibility.NETWORK).order_by("pk").first()
        or reports.order_by("pk").first()
    )
    if report is None:
        from knowledge.ingestion import QuietProgress, ingest

        text = (
            "Good practice: post-clearance audit in Thailand\n\nThe Thai Customs Department shares how it "
            "moved from transaction checks to audit-based control. Audit teams were trained with the "
            "Centre for Customs and Excise Studies, companies were selected with risk scores, and "
            "voluntary disclosure was encouraged. After two years discrepancies fell among audited "
            "companies; the tools are offered to the administrations of the region."
        )
        documents = ingest(
            [
                _incoming(
                    text,
                    {
                        "title": "Good practice: post-clearance audit in Thailand",
                        "kind": DocumentKind.GOOD_PRACTICE,
                        "visibility": Visibility.PUBLIC,
                        "member": "TH",
                        "topics": "pca",
                        "date": "2024-05-01",
                    },
                )
            ],
            user=None,
            progress=QuietProgress(),
        )
        report = documents[0] if documents else Document.objects.filter(source_key=GOOD_PRACTICE_KEY).first()
        if report is None:
            return 0
    report.author_people.add(rafael)
    return 1


def _incoming(text: str, metadata: dict):
    from knowledge.ingestion import Incoming

    return Incoming(
        name="good-practice-ap.txt", content=text.encode(), metadata=metadata, source_key=GOOD_PRACTICE_KEY
    )


def _counts() -> dict[str, int]:
    past = Submission.objects.filter(
        call__conference__kind=ConferenceKind.PICARD, call__status=CallStatus.DECIDED
    )
    return {
        "conferences": Conference.objects.count(),
        "calls": Call.objects.count(),
        "accepted papers": past.filter(
            status__in=[SubmissionStatus.ACCEPTED_PAPER, SubmissionStatus.ACCEPTED_POSTER]
        ).count(),
        "rejected papers": past.filter(status=SubmissionStatus.REJECTED).count(),
        "submissions under review": Submission.objects.filter(status=SubmissionStatus.SUBMITTED).count(),
        "reviewers": Reviewer.objects.count(),
        "assignments": Assignment.objects.count(),
        "reviews": Review.objects.count(),
        "published papers": Submission.objects.filter(published_document__isnull=False).count(),
    }


def demo_conferences_create(
    *, seed: int = SEED, publish_editions: int = PUBLISH_EDITIONS, progress=print
) -> dict[str, int]:
    """Build the demo conferences once (needs `load_reference` and `demo_users`); a later run
    only re-links the researcher to an Asia/Pacific good-practice report, which `demo_documents`
    replaces each time it runs."""
    with transaction.atomic():
        built = Conference.objects.filter(kind=ConferenceKind.PICARD, number=OPEN_EDITION).exists()
        if not built:
            if not Conference.objects.filter(kind=ConferenceKind.PICARD, number__lt=OPEN_EDITION).exists():
                raise RuntimeError(
                    "The demo conferences need the PICARD editions: run `manage.py load_reference` first."
                )
            builder = _Builder(random.Random(seed), publish_editions, progress)
            builder.authors()
            builder.past()
            builder.open_call()
            builder.regional()
            rafael = builder.rafael
        else:
            researcher = User.objects.filter(username="researcher").first()
            rafael = Person.objects.filter(user=researcher).first() if researcher else None
        _link_good_practice(rafael)
    return _counts()

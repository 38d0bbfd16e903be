"""Word lists the CRM generator draws from: people, companies, places, products, issues."""

from __future__ import annotations

FEMALE_FIRST = tuple(
    "Maria Dana Priya Elena Grace Hannah Aisha Sofia Chloe Naomi Olivia Ruth Leah Mei Isabel "
    "Fatima Julia Keiko Laura Nadia Rosa Tessa Vera Yara Amara Bianca Clara Daphne Esther "
    "Ingrid Alma Beatrix Celia Dora Edith Freya Gemma Helena Iris Joanna".split()
)
MALE_FIRST = tuple(
    "James Daniel Omar Lucas Ethan Marcus Rafael Samuel Tomas Victor Aaron Caleb Diego Felix "
    "Hiro Ivan Jonah Kofi Liam Mateo Nikhil Oscar Pavel Reza Simon Theo Umar Wesley Xavier "
    "Yusuf Anton Bruno Cyrus Dmitri Emil Gideon Hugo Idris Jasper Kenji".split()
)
LAST = tuple(
    "Whitfield Lopez Okafor Nguyen Patel Schmidt Haddad Kowalski Moreau Tanaka Brennan "
    "Castillo Delgado Eriksen Fischer Gallagher Hoffman Ibrahim Jensen Kaur Lindqvist Mendoza "
    "Novak Osei Park Quinn Romero Sato Thornton Ueda Varga Walsh Xu Yilmaz Zimmerman Abbott "
    "Bishop Carver Dunmore Ellison Foster Greer Holloway Iverson Keller Lambert Mercer Nash "
    "Orton Prescott Ramsey Sutton Tillman Vance Winslow Yates Aldridge Beaumont Calloway "
    "Draper Ashby Blackwood Corrigan Dalton Everett Fairbanks Goodwin Harlow Ingram Jarvis "
    "Kingsley Langford Marlowe Norwood Oakley Pemberton Radcliffe Sinclair Talbot Underwood "
    "Whitaker Ackerman Bergstrom Chandra Dubois Esposito Fujita Grant Hanson".split()
)

ACCOUNT_STEMS = tuple(
    "Globex Amberline Bluewater Cedarbrook Driftwood Evergreen Falconridge Goldleaf "
    "Harborview Ironbridge Juniper Keystone Lakeshore Meridian Northgate Oakhurst Pinecrest "
    "Quarrystone Redfern Silverline Tidewater Upland Vantage Westbrook Yarrow Zenith "
    "Copperfield Stonebridge Larkspur Maplewood Riverton Sunfield Thornbury Wildrose Ashford "
    "Bellhaven Brightwater Clearview Deepwell Eastgate Fairmont Greystone Highpoint Kingsbury "
    "Lindenwood Millbrook Newhaven Oakridge Parkside Ravenwood Southport Summitview Trailhead "
    "Valleyforge Whitestone Crestline Foxglove Granite Horizon".split()
)
INDUSTRIES = (
    ("Logistics", "Transportation"),
    ("Health", "Healthcare"),
    ("Manufacturing", "Manufacturing"),
    ("Foods", "Food & Beverage"),
    ("Energy", "Energy"),
    ("Analytics", "Technology"),
    ("Retail", "Retail"),
    ("Financial", "Financial Services"),
    ("Labs", "Biotech"),
    ("Construction", "Construction"),
    ("Media", "Media"),
    ("Hospitality", "Hospitality"),
)
LEGAL_FORMS = tuple("Inc. LLC Corporation Group Co.".split())

PLACES = (
    ("San Francisco", "CA", "415"),
    ("Oakland", "CA", "510"),
    ("Los Angeles", "CA", "213"),
    ("San Diego", "CA", "619"),
    ("Seattle", "WA", "206"),
    ("Spokane", "WA", "509"),
    ("Portland", "OR", "503"),
    ("Boise", "ID", "208"),
    ("Denver", "CO", "303"),
    ("Phoenix", "AZ", "602"),
    ("Salt Lake City", "UT", "801"),
    ("Las Vegas", "NV", "702"),
    ("Austin", "TX", "512"),
    ("Dallas", "TX", "214"),
    ("Houston", "TX", "713"),
    ("Chicago", "IL", "312"),
    ("Minneapolis", "MN", "612"),
    ("Columbus", "OH", "614"),
    ("Detroit", "MI", "313"),
    ("Kansas City", "MO", "816"),
    ("Boston", "MA", "617"),
    ("New York", "NY", "212"),
    ("Brooklyn", "NY", "718"),
    ("Philadelphia", "PA", "215"),
    ("Baltimore", "MD", "410"),
    ("Newark", "NJ", "973"),
    ("Atlanta", "GA", "404"),
    ("Miami", "FL", "305"),
    ("Tampa", "FL", "813"),
    ("Nashville", "TN", "615"),
    ("Raleigh", "NC", "919"),
    ("Charlotte", "NC", "704"),
)
PLACE_WEIGHTS = (
    6, 3, 6, 3, 4, 1, 3, 1, 3, 3, 1, 2, 3, 3, 4, 5, 2, 2, 2, 1,
    3, 6, 3, 3, 2, 2, 3, 3, 2, 2, 2, 2,
)  # fmt: skip
"""Relative population weights of PLACES: big metros get more customers."""

STREETS = (
    "Maple Avenue",
    "Cedar Lane",
    "Oak Street",
    "Birch Road",
    "Willow Way",
    "Elm Court",
    "Lakeview Drive",
    "Hillcrest Road",
    "Park Place",
    "Sunset Boulevard",
    "River Road",
    "Chestnut Street",
    "Juniper Drive",
    "Magnolia Avenue",
    "Aspen Trail",
    "Harbor Street",
)
MAIL_DOMAINS = ("example.com", "example.net", "example.org", "mail.example.com")

BUYER_TITLES = (
    "Procurement Manager",
    "IT Director",
    "Financial Controller",
    "Head of Operations",
    "VP Engineering",
    "Office Manager",
    "Chief Technology Officer",
    "Purchasing Lead",
)

BRANDS = tuple("Aurora Nimbus Halcyon Vertex Quill Orbit Lumen Kestrel".split())
COLOURS = tuple("black white silver blue red green".split())

CONSUMER_FAMILIES: tuple[tuple[str, tuple[str, ...], int, int], ...] = (
    ("headphones", ("Over-Ear Headphones", "Wireless Headphones", "Studio Headphones"), 59, 349),
    ("speaker", ("Bluetooth Speaker", "Smart Speaker", "Outdoor Speaker"), 39, 299),
    ("smartwatch", ("Smartwatch", "Fitness Smartwatch"), 129, 449),
    ("laptop", ("Laptop 13", "Pro Laptop 15", "Ultrabook Laptop"), 699, 2199),
    ("tablet", ("Tablet 10", "Tablet Mini"), 249, 899),
    (
        "monitor",
        ("27-inch 4K Monitor", "24-inch Office Monitor", "34-inch Curved Monitor"),
        179,
        899,
    ),
    ("keyboard", ("Mechanical Keyboard", "Wireless Keyboard"), 39, 189),
    ("mouse", ("Wireless Mouse", "Ergonomic Mouse"), 19, 99),
    ("webcam", ("HD Webcam", "4K Webcam"), 49, 199),
    ("router", ("Mesh Wi-Fi Router", "Wi-Fi 6 Router"), 89, 399),
    ("printer", ("Laser Printer", "Inkjet Printer"), 99, 499),
    ("backpack", ("Commuter Backpack", "Travel Backpack"), 49, 149),
)

ISSUES: dict[str, tuple[str, ...]] = {
    "headphones": (
        "Bluetooth pairing fails",
        "Ear cushion wear",
        "One side silent",
        "Noise cancelling hiss",
    ),
    "speaker": (
        "Bluetooth pairing fails",
        "Crackling at high volume",
        "Will not charge",
        "Voice assistant unresponsive",
    ),
    "smartwatch": (
        "Battery drains quickly",
        "Heart-rate sensor inaccurate",
        "Strap broke",
        "Screen unresponsive",
    ),
    "laptop": (
        "Device will not power on",
        "Battery drains quickly",
        "Keyboard keys stick",
        "Overheating",
    ),
    "tablet": (
        "Screen flickers",
        "Battery drains quickly",
        "Will not charge",
        "Touchscreen dead zones",
    ),
    "monitor": ("Screen flickers", "Dead pixels", "No signal over HDMI", "Stand wobbles"),
    "keyboard": ("Keys double-type", "Bluetooth pairing fails", "Backlight not working"),
    "mouse": ("Cursor jumps", "Scroll wheel slips", "Bluetooth pairing fails"),
    "webcam": ("Image is blurry", "Not detected by computer", "Microphone silent"),
    "router": (
        "Slow Wi-Fi after setup",
        "Firmware update failed",
        "Drops connection nightly",
        "Mesh node offline",
    ),
    "printer": ("Paper jams", "Prints streaks", "Not found on network"),
    "backpack": ("Zipper broke", "Strap tore", "Water leaks in"),
}

BUSINESS_PRODUCTS: tuple[tuple[str, str, str, float, str], ...] = (
    # (family, name, code, list price, what it is for the configuration rules)
    ("Hardware", "ProBook 14 Laptop", "HW-LT14", 1290.0, "device"),
    ("Hardware", "ProBook 16 Laptop", "HW-LT16", 1690.0, "device"),
    ("Hardware", "Workstation Tower", "HW-WS01", 2450.0, "device"),
    ("Hardware", "Docking Station", "HW-DK01", 240.0, "accessory"),
    ("Hardware", "27-inch Office Monitor", "HW-MN27", 320.0, "accessory"),
    ("Hardware", "Conference Room Kit", "HW-CRK1", 3900.0, "device"),
    ("Software", "Cloud Backup License (per seat)", "SW-BKP", 12.0, "licence"),
    ("Software", "Endpoint Security License (per seat)", "SW-SEC", 24.0, "licence"),
    ("Software", "Collaboration Suite License (per seat)", "SW-COL", 18.0, "licence"),
    ("Software", "Device Management License (per seat)", "SW-MDM", 9.0, "licence"),
    ("Services", "Premier Support Plan (per device)", "SV-PRM", 89.0, "support"),
    ("Services", "Extended Warranty (per device)", "SV-EXW", 59.0, "warranty"),
    ("Services", "On-site Installation (per site)", "SV-INS", 1450.0, "installation"),
    ("Services", "Admin Training (per seat)", "SV-TRN", 150.0, "training"),
)

TERRITORIES: tuple[tuple[str, str], ...] = (
    ("Pacific West", "CA,NV"),
    ("Pacific Northwest", "OR,WA,ID"),
    ("Mountain & Southwest", "AZ,CO,UT,TX"),
    ("Central", "IL,MN,OH,MI,MO"),
    ("Northeast", "NY,MA,PA,NJ,MD"),
    ("Southeast", "GA,FL,TN,NC"),
)

LEAD_SOURCES = ("Web", "Referral", "Trade Show", "Partner", "Cold Call")

HOME_PRODUCTS: tuple[tuple[str, str, str, float, str, bool], ...] = (
    # (family, name, code, list price, what it is for the configuration rules, host)
    ("bundle", "Home Office Bundle", "BH-OFC", 1890.0, "device", False),
    ("bundle", "Smart Home Starter Bundle", "BH-SMH", 990.0, "device", False),
    ("bundle", "Home Theater Bundle", "BH-THR", 2790.0, "device", True),
    ("bundle", "Whole-Home Wi-Fi Bundle", "BH-WFI", 640.0, "device", False),
    ("accessory", "Wall Mount Kit", "BH-WMK", 149.0, "accessory", False),
    ("accessory", "Surge Protector Pack", "BH-SRG", 59.0, "accessory", False),
    ("subscription", "Smart Home Monitoring (per month)", "BH-MON", 19.0, "licence", False),
    ("subscription", "Cloud Photo Storage (per month)", "BH-CLD", 9.0, "licence", False),
    ("protection", "Premium Care Plan (per bundle)", "BH-PCP", 99.0, "support", False),
    ("protection", "Extended Protection (per bundle)", "BH-EXP", 79.0, "warranty", False),
    ("installation", "In-Home Installation (per visit)", "BH-INS", 249.0, "installation", False),
    ("installation", "Smart Home Coaching (per session)", "BH-TRN", 89.0, "training", False),
)
"""The B2C sales team's catalog: home packages, the services and plans sold with them.
The Home Theater Bundle hosts the Wall Mount Kit (the accessory configuration rule)."""

BUSINESS_TYPES = (
    "laptop",
    "workstation",
    "docking station",
    "monitor",
    "conference room kit",
    "license",
    "support plan",
    "warranty",
    "installation",
    "training",
)
"""Kinds of B2B products as buyers name them: each is a word of its products' names."""

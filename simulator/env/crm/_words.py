"""Word lists the CRM generator draws from: names, companies, places, products, articles."""

from __future__ import annotations

FEMALE_FIRST = tuple(
    "Maria Dana Priya Elena Grace Hannah Aisha Sofia Chloe Naomi Olivia Ruth Leah Mei Isabel "
    "Fatima Julia Keiko Laura Nadia Rosa Tessa Vera Yara Amara Bianca Clara Daphne Esther "
    "Ingrid".split()
)
MALE_FIRST = tuple(
    "James Daniel Omar Lucas Ethan Marcus Rafael Samuel Tomas Victor Aaron Caleb Diego Felix "
    "Hiro Ivan Jonah Kofi Liam Mateo Nikhil Oscar Pavel Reza Simon Theo Umar Wesley Xavier "
    "Yusuf".split()
)
LAST = tuple(
    "Whitfield Lopez Okafor Nguyen Patel Schmidt Haddad Kowalski Moreau Tanaka Brennan "
    "Castillo Delgado Eriksen Fischer Gallagher Hoffman Ibrahim Jensen Kaur Lindqvist Mendoza "
    "Novak Osei Park Quinn Romero Sato Thornton Ueda Varga Walsh Xu Yilmaz Zimmerman Abbott "
    "Bishop Carver Dunmore Ellison Foster Greer Holloway Iverson Keller Lambert Mercer Nash "
    "Orton Prescott Ramsey Sutton Tillman Vance Winslow Yates Aldridge Beaumont Calloway "
    "Draper".split()
)

ACCOUNT_PREFIXES = tuple(
    "Globex Amberline Bluewater Cedarbrook Driftwood Evergreen Falconridge Goldleaf "
    "Harborview Ironbridge Juniper Keystone Lakeshore Meridian Northgate Oakhurst Pinecrest "
    "Quarrystone Redfern Silverline Tidewater Upland Vantage Westbrook Yarrow Zenith "
    "Copperfield Stonebridge Larkspur Maplewood Riverton Sunfield Thornbury Wildrose Ashford "
    "Bellhaven".split()
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
    ("Portland", "OR", "503"),
    ("Denver", "CO", "303"),
    ("Austin", "TX", "512"),
    ("Dallas", "TX", "214"),
    ("Chicago", "IL", "312"),
    ("Minneapolis", "MN", "612"),
    ("Boston", "MA", "617"),
    ("New York", "NY", "212"),
    ("Brooklyn", "NY", "718"),
    ("Philadelphia", "PA", "215"),
    ("Atlanta", "GA", "404"),
    ("Miami", "FL", "305"),
    ("Phoenix", "AZ", "602"),
    ("Nashville", "TN", "615"),
    ("Raleigh", "NC", "919"),
    ("Salt Lake City", "UT", "801"),
    ("Columbus", "OH", "614"),
    ("Detroit", "MI", "313"),
    ("Baltimore", "MD", "410"),
)
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

REGIONS = tuple("West Central East South".split())
TITLES = (
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

CONSUMER_CATEGORIES: tuple[tuple[str, tuple[str, ...], int, int], ...] = (
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
BUSINESS_PRODUCTS: tuple[tuple[str, str, float], ...] = (
    ("software", "Cloud Backup License (per seat)", 12.0),
    ("software", "Endpoint Security License (per seat)", 24.0),
    ("software", "Collaboration Suite License (per seat)", 18.0),
    ("service", "Premier Support Plan (per device)", 89.0),
    ("service", "On-site Installation (per site)", 1450.0),
    ("service", "Extended Warranty (per device)", 59.0),
)

OPEN_STAGES = ("Prospecting", "Qualification", "Proposal", "Negotiation")
CASE_SUBJECTS = (
    "Device will not power on",
    "Bluetooth pairing fails",
    "Order arrived damaged",
    "Refund not received",
    "Wrong item shipped",
    "Firmware update failed",
    "Battery drains quickly",
    "Licence key not accepted",
    "Invoice discrepancy",
    "Slow Wi-Fi after setup",
    "Screen flickers",
    "Missing accessories",
)

ARTICLES: tuple[tuple[str, str, str, str], ...] = (
    (
        "Returns",
        "Return policy",
        "public",
        "Items can be returned within 30 days of delivery in their original packaging. "
        "Refunds go back to the original payment method within 5 business days.",
    ),
    (
        "Warranty",
        "Warranty coverage",
        "public",
        "All hardware carries a one-year limited warranty against manufacturing defects. "
        "Extended Warranty adds two more years.",
    ),
    (
        "Shipping",
        "Shipping times",
        "public",
        "Standard shipping takes 3 to 5 business days; express shipping takes 1 to 2.",
    ),
    (
        "Orders",
        "Tracking an order",
        "public",
        "Signed-in customers see every order and its tracking link under My Orders.",
    ),
    (
        "Setup",
        "Pairing Bluetooth headphones",
        "public",
        "Hold the power button for five seconds until the light blinks blue, then select the "
        "headphones in your device's Bluetooth settings.",
    ),
    (
        "Setup",
        "Resetting a Wi-Fi router",
        "public",
        "Press the reset pin for ten seconds; the router restarts with factory settings.",
    ),
    (
        "Privacy",
        "Customer privacy",
        "public",
        "We never share a customer's contact details, address or orders with anyone else.",
    ),
    (
        "Pricing",
        "Price match",
        "public",
        "We match a lower advertised price from a major retailer within 14 days of purchase.",
    ),
    (
        "Pricing",
        "Discount approval thresholds",
        "internal",
        "Reps may discount up to 15 percent on their own; 15 to 25 percent needs the sales "
        "manager; above 25 percent needs the VP of Sales. Never quote below price_floor.",
    ),
    (
        "Competition",
        "Competitor weaknesses",
        "internal",
        "Vertex devices have a 14 percent return rate and weak enterprise support; stress our "
        "on-site installation when competing against them.",
    ),
    (
        "Orders",
        "Enterprise order limits",
        "internal",
        "Orders above 500 units or USD 250,000 require a credit check against credit_limit.",
    ),
    (
        "Services",
        "Installation timelines",
        "internal",
        "On-site installation is scheduled 10 business days after signature; rush jobs cost "
        "an extra 20 percent.",
    ),
    (
        "Support",
        "Escalation playbook",
        "internal",
        "Escalate High priority cases older than 48 hours to the support manager.",
    ),
    (
        "Support",
        "Handle-time targets",
        "internal",
        "Target average handle time is under 24 hours for Medium priority cases.",
    ),
)

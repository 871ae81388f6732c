/// Where county-level councils meet: the towns of their County Halls,
/// Shire Halls and county offices, for addresses such as "County Hall,
/// Maidstone". Several councils may share a town over time (Dorset County
/// Council, then Dorset Council, at Dorchester); the meeting date decides.
/// Register codes as in the gazetteer. Counties named after their county
/// town ("Oxford" → Oxfordshire) are also found by name, without a row.
extension Gazetteer {
    static let countyTowns: [String: [String]] = [
        "maidstone": ["KEN"], "chichester": ["WSX"], "lewes": ["ESX"], "trowbridge": ["WIL"], "exeter": ["DEV"],
        "truro": ["CON"], "taunton": ["SOM", "SMT"], "dorchester": ["DOR", "DST"], "winchester": ["HAM"],
        "aylesbury": ["BKM", "BUC"], "hertford": ["HRT"], "chelmsford": ["ESS"], "norwich": ["NFK"], "ipswich": ["SFK"],
        "cambridge": ["CAM"], "alconbury": ["CAM"], "alconbury weald": ["CAM"], "matlock": ["DBY"],
        "west bridgford": ["NTT"], "glenfield": ["LEC"], "lincoln": ["LIN"], "northallerton": ["NYK", "NYE"],
        "durham": ["DUR"], "morpeth": ["NBL"], "carlisle": ["CMA", "CBD"], "kendal": ["WAF"], "preston": ["LAN"],
        "stafford": ["STS"], "warwick": ["WAR"], "worcester": ["WOR"], "gloucester": ["GLS"], "shrewsbury": ["SHR"],
        "hereford": ["HEF"], "oxford": ["OXF"], "kingston upon thames": ["SRY"], "reigate": ["SRY"], "woodhatch": ["SRY"],
        "northampton": ["NTH", "WNT"], "kettering": ["NNT"], "newport isle of wight": ["IOW"], "beverley": ["ERY"],
        "mold": ["FLN"], "llandrindod wells": ["POW"], "carmarthen": ["CMN"], "haverfordwest": ["PEM"], "aberaeron": ["CGN"],
        "ruthin": ["DEN"], "caernarfon": ["GWN"], "llangefni": ["AGY"], "usk": ["MON"], "oakham": ["RUT"],
        "chippenham": ["WIL"], "bodmin": ["CON"], "bedford": ["BDF"], "chicksands": ["CBF"], "sandbach": ["CHE"],
        "chester": ["CHW"], "newbury": ["WBK"], "bath": ["BAS"], "weston-super-mare": ["NSM"], "weston super mare": ["NSM"],
        "yate": ["SGC"], "middlesbrough": ["MDB"], "darlington": ["DAL"], "hartlepool": ["HPL"],
    ]

    /// County-level councils with offices in `townKey` (normalized).
    public func councils(inCountyTown townKey: String) -> [Council] {
        var result = (Gazetteer.countyTowns[townKey] ?? []).compactMap { council(code: $0) }
        // "Oxford" -> Oxfordshire, "Worcester" -> Worcestershire.
        result += councils(forArea: townKey + "shire").filter(\.isCountyLevel)
        return result
    }
}

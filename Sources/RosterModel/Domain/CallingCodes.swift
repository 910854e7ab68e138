/// A run of leading digits such as a trunk prefix ("0", "06", "8"), kept as its value and length so
/// that "06" and "6" stay different.
struct DigitPrefix: Sendable, Equatable {
    /// The digits read as a number: 6 for "06".
    let value: Int
    /// How many digits the prefix has: 2 for "06".
    let length: Int

    /// Whether the prefix starts with 0; no national number can start with such a prefix.
    var startsWithZero: Bool {
        var power = 1
        for _ in 1..<length { power *= 10 }
        return value < power
    }

    /// The `00` that dials out of most countries.
    static let international = DigitPrefix("00")

    init(value: Int, length: Int) {
        self.value = value
        self.length = length
    }

    /// Reads a prefix written as decimal digits.
    init(_ digits: String) {
        precondition(!digits.isEmpty && digits.utf8.allSatisfy { $0 >= 0x30 && $0 <= 0x39 }, "not digits: \(digits)")
        value = digits.utf8.reduce(0) { $0 * 10 + Int($1 - 0x30) }
        length = digits.utf8.count
    }
}

/// Up to four trunk prefixes packed in one word (16 bits each: length, then value), so an entry holds no array.
struct TrunkPrefixes: Sequence, Sendable {
    private var packed: UInt64 = 0

    init(_ prefixes: [DigitPrefix]) {
        precondition(
            prefixes.count <= 4 && prefixes.allSatisfy { $0.length <= 3 }, "too many or too long trunk prefixes")
        for (position, prefix) in prefixes.enumerated() {
            packed |= UInt64(prefix.length << 12 | prefix.value) << UInt64(16 * position)
        }
    }

    func makeIterator() -> Iterator { Iterator(packed: packed) }

    struct Iterator: IteratorProtocol {
        var packed: UInt64

        mutating func next() -> DigitPrefix? {
            let field = Int(truncatingIfNeeded: packed & 0xFFFF)
            guard field != 0 else { return nil }
            packed >>= 16
            return DigitPrefix(value: field & 0xFFF, length: field >> 12)
        }
    }
}

/// One ITU-T E.164 country calling code and how numbers are written inside the countries that use it.
///
/// Holds no counted reference (its strings are literals or small), so import threads that read the same entry
/// never contend on a reference count.
package struct CallingCode: Sendable {
    /// The code as a number: 34 for `+34`. No code starts with 0, so the value names the digits.
    let value: Int
    /// The code as digits: "34".
    let digits: String
    /// Where the code is used: countries, territories or a global service.
    let regions: String
    /// National (trunk) prefixes dialled before a number inside the country, longest first.
    let trunkPrefixes: TrunkPrefixes
    /// Lengths a national significant number plausibly has, where known.
    let nationalLengths: ClosedRange<Int>?
    /// Whether a leading 0 belongs to the number itself (Italy), so a written "(0)" is kept.
    let keepsLeadingZero: Bool

    init(
        _ value: Int, _ regions: String, trunk: [String] = [], lengths: ClosedRange<Int>? = nil,
        keepsLeadingZero: Bool = false
    ) {
        self.value = value
        self.digits = String(value)
        self.regions = regions
        self.trunkPrefixes = TrunkPrefixes(trunk.map(DigitPrefix.init).sorted { $0.length > $1.length })
        self.nationalLengths = lengths
        self.keepsLeadingZero = keepsLeadingZero
    }
}

/// The table of assigned country calling codes (ITU-T E.164 list) with the national trunk-prefix rules.
///
/// Codes are prefix-free: no code is the start of another, so the digits after `+` name at most one code.
/// Trunk prefixes that start with 0 are always dropped after the country code, because no national number
/// in those countries starts with 0. Other prefixes (1 in NANP, 8 in Russia) are also valid first digits,
/// so they are dropped only when the number is too long for the country with them and fits without them.
enum CallingCodes {
    /// The length range assumed for a national number where the table knows none.
    static let fallbackNationalLengths = 4...14

    /// The entry for a code given as a number, or nil when the code is not assigned.
    static func code(_ value: Int) -> CallingCode? {
        guard value > 0, value < index.count else { return nil }
        let position = index[value]
        return position < 0 ? nil : all[Int(position)]
    }

    /// Position in `all` for every value 0...999, -1 where no code is assigned.
    private static let index: [Int16] = {
        var index = [Int16](repeating: -1, count: 1000)
        for (position, code) in all.enumerated() {
            precondition(index[code.value] < 0, "calling code \(code.value) listed twice")
            index[code.value] = Int16(position)
        }
        return index
    }()

    /// Every assigned code. Regions in parentheses share the code; "global" codes serve no country.
    static let all: [CallingCode] = [
        // Zone 1: the North American Numbering Plan; the 1 is also dialled as trunk prefix.
        CallingCode(1, "United States, Canada and the Caribbean (NANP)", trunk: ["1"], lengths: 10...10),
        // Zone 2: Africa and the North Atlantic.
        CallingCode(20, "Egypt", trunk: ["0"], lengths: 8...10),
        CallingCode(211, "South Sudan", trunk: ["0"], lengths: 9...9),
        CallingCode(212, "Morocco (Western Sahara)", trunk: ["0"], lengths: 9...9),
        CallingCode(213, "Algeria", trunk: ["0"], lengths: 8...9),
        CallingCode(216, "Tunisia", lengths: 8...8),
        CallingCode(218, "Libya", trunk: ["0"], lengths: 8...9),
        CallingCode(220, "Gambia", lengths: 7...7),
        CallingCode(221, "Senegal", lengths: 9...9),
        CallingCode(222, "Mauritania", lengths: 8...8),
        CallingCode(223, "Mali", lengths: 8...8),
        CallingCode(224, "Guinea", lengths: 8...9),
        CallingCode(225, "Côte d'Ivoire", lengths: 10...10, keepsLeadingZero: true),
        CallingCode(226, "Burkina Faso", lengths: 8...8),
        CallingCode(227, "Niger", lengths: 8...8),
        CallingCode(228, "Togo", lengths: 8...8),
        CallingCode(229, "Benin", lengths: 8...10, keepsLeadingZero: true),
        CallingCode(230, "Mauritius", lengths: 7...8),
        CallingCode(231, "Liberia", trunk: ["0"], lengths: 7...9),
        CallingCode(232, "Sierra Leone", trunk: ["0"], lengths: 8...8),
        CallingCode(233, "Ghana", trunk: ["0"], lengths: 9...9),
        CallingCode(234, "Nigeria", trunk: ["0"], lengths: 7...10),
        CallingCode(235, "Chad", lengths: 8...8),
        CallingCode(236, "Central African Republic", lengths: 8...8),
        CallingCode(237, "Cameroon", lengths: 8...9),
        CallingCode(238, "Cape Verde", lengths: 7...7),
        CallingCode(239, "São Tomé and Príncipe", lengths: 7...7),
        CallingCode(240, "Equatorial Guinea", lengths: 9...9),
        CallingCode(241, "Gabon"),
        CallingCode(242, "Republic of the Congo", lengths: 9...9, keepsLeadingZero: true),
        CallingCode(243, "Democratic Republic of the Congo", trunk: ["0"], lengths: 9...9),
        CallingCode(244, "Angola", lengths: 9...9),
        CallingCode(245, "Guinea-Bissau", lengths: 7...9),
        CallingCode(246, "Diego Garcia (British Indian Ocean Territory)", lengths: 7...7),
        CallingCode(247, "Ascension Island"),
        CallingCode(248, "Seychelles", lengths: 7...7),
        CallingCode(249, "Sudan", trunk: ["0"], lengths: 9...9),
        CallingCode(250, "Rwanda", trunk: ["0"], lengths: 9...9),
        CallingCode(251, "Ethiopia", trunk: ["0"], lengths: 9...9),
        CallingCode(252, "Somalia", trunk: ["0"], lengths: 7...9),
        CallingCode(253, "Djibouti", lengths: 8...8),
        CallingCode(254, "Kenya", trunk: ["0"], lengths: 9...9),
        CallingCode(255, "Tanzania", trunk: ["0"], lengths: 9...9),
        CallingCode(256, "Uganda", trunk: ["0"], lengths: 9...9),
        CallingCode(257, "Burundi", lengths: 8...8),
        CallingCode(258, "Mozambique", lengths: 8...9),
        CallingCode(260, "Zambia", trunk: ["0"], lengths: 9...9),
        CallingCode(261, "Madagascar", trunk: ["0"], lengths: 9...9),
        CallingCode(262, "Réunion, Mayotte (French Southern Territories)", trunk: ["0"], lengths: 9...9),
        CallingCode(263, "Zimbabwe", trunk: ["0"]),
        CallingCode(264, "Namibia", trunk: ["0"]),
        CallingCode(265, "Malawi", trunk: ["0"], lengths: 7...9),
        CallingCode(266, "Lesotho", lengths: 8...8),
        CallingCode(267, "Botswana", lengths: 7...8),
        CallingCode(268, "Eswatini", lengths: 8...8),
        CallingCode(269, "Comoros", lengths: 7...7),
        CallingCode(27, "South Africa", trunk: ["0"], lengths: 9...9),
        CallingCode(290, "Saint Helena, Tristan da Cunha"),
        CallingCode(291, "Eritrea", trunk: ["0"], lengths: 7...7),
        CallingCode(297, "Aruba", lengths: 7...7),
        CallingCode(298, "Faroe Islands", lengths: 6...6),
        CallingCode(299, "Greenland", lengths: 6...6),
        // Zone 3: Europe.
        CallingCode(30, "Greece", lengths: 10...10),
        CallingCode(31, "Netherlands", trunk: ["0"], lengths: 7...10),
        CallingCode(32, "Belgium", trunk: ["0"], lengths: 8...9),
        CallingCode(33, "France", trunk: ["0"], lengths: 9...9),
        CallingCode(34, "Spain", lengths: 9...9),
        CallingCode(350, "Gibraltar", lengths: 8...8),
        CallingCode(351, "Portugal", lengths: 9...9),
        CallingCode(352, "Luxembourg", lengths: 4...11),
        CallingCode(353, "Ireland", trunk: ["0"], lengths: 7...9),
        CallingCode(354, "Iceland", lengths: 7...9),
        CallingCode(355, "Albania", trunk: ["0"], lengths: 8...9),
        CallingCode(356, "Malta", lengths: 8...8),
        CallingCode(357, "Cyprus", lengths: 8...8),
        CallingCode(358, "Finland (Åland)", trunk: ["0"], lengths: 5...12),
        CallingCode(359, "Bulgaria", trunk: ["0"], lengths: 7...9),
        CallingCode(36, "Hungary", trunk: ["06"], lengths: 8...9),
        CallingCode(370, "Lithuania", trunk: ["8", "0"], lengths: 8...8),
        CallingCode(371, "Latvia", lengths: 8...8),
        CallingCode(372, "Estonia", lengths: 7...8),
        CallingCode(373, "Moldova", trunk: ["0"], lengths: 8...8),
        CallingCode(374, "Armenia", trunk: ["0"], lengths: 8...8),
        CallingCode(375, "Belarus", trunk: ["80", "8", "0"], lengths: 9...9),
        CallingCode(376, "Andorra", lengths: 6...9),
        CallingCode(377, "Monaco", trunk: ["0"], lengths: 8...9),
        CallingCode(378, "San Marino", lengths: 6...10, keepsLeadingZero: true),
        CallingCode(379, "Vatican City (assigned; in use is +39 06 698)", keepsLeadingZero: true),
        CallingCode(380, "Ukraine", trunk: ["0"], lengths: 9...9),
        CallingCode(381, "Serbia", trunk: ["0"], lengths: 7...10),
        CallingCode(382, "Montenegro", trunk: ["0"], lengths: 8...8),
        CallingCode(383, "Kosovo", trunk: ["0"], lengths: 8...8),
        CallingCode(385, "Croatia", trunk: ["0"], lengths: 8...9),
        CallingCode(386, "Slovenia", trunk: ["0"], lengths: 8...8),
        CallingCode(387, "Bosnia and Herzegovina", trunk: ["0"], lengths: 8...9),
        CallingCode(389, "North Macedonia", trunk: ["0"], lengths: 8...8),
        CallingCode(39, "Italy (Vatican City)", lengths: 6...11, keepsLeadingZero: true),
        // Zone 4: Europe.
        CallingCode(40, "Romania", trunk: ["0"], lengths: 9...9),
        CallingCode(41, "Switzerland", trunk: ["0"], lengths: 9...9),
        CallingCode(420, "Czech Republic", lengths: 9...9),
        CallingCode(421, "Slovakia", trunk: ["0"], lengths: 9...9),
        CallingCode(423, "Liechtenstein", lengths: 7...9),
        CallingCode(43, "Austria", trunk: ["0"], lengths: 4...13),
        CallingCode(44, "United Kingdom (Guernsey, Jersey, Isle of Man)", trunk: ["0"], lengths: 7...10),
        CallingCode(45, "Denmark", lengths: 8...8),
        CallingCode(46, "Sweden", trunk: ["0"], lengths: 6...10),
        CallingCode(47, "Norway (Svalbard)", lengths: 5...8),
        CallingCode(48, "Poland", lengths: 9...9),
        CallingCode(49, "Germany", trunk: ["0"], lengths: 6...11),
        // Zone 5: Central and South America.
        CallingCode(500, "Falkland Islands (South Georgia)", lengths: 5...5),
        CallingCode(501, "Belize", lengths: 7...7),
        CallingCode(502, "Guatemala", lengths: 8...8),
        CallingCode(503, "El Salvador", lengths: 8...8),
        CallingCode(504, "Honduras", lengths: 8...8),
        CallingCode(505, "Nicaragua", lengths: 8...8),
        CallingCode(506, "Costa Rica", lengths: 8...8),
        CallingCode(507, "Panama", lengths: 7...8),
        CallingCode(508, "Saint Pierre and Miquelon", trunk: ["0"], lengths: 6...6),
        CallingCode(509, "Haiti", lengths: 8...8),
        CallingCode(51, "Peru", trunk: ["0"], lengths: 8...9),
        CallingCode(52, "Mexico", trunk: ["044", "045", "01", "1"], lengths: 10...10),
        CallingCode(53, "Cuba", trunk: ["0"], lengths: 6...8),
        CallingCode(54, "Argentina", trunk: ["0"], lengths: 10...11),
        CallingCode(55, "Brazil", trunk: ["0"], lengths: 10...11),
        CallingCode(56, "Chile", trunk: ["0"], lengths: 9...9),
        CallingCode(57, "Colombia", trunk: ["0"], lengths: 8...10),
        CallingCode(58, "Venezuela", trunk: ["0"], lengths: 10...10),
        CallingCode(590, "Guadeloupe, Saint Barthélemy, Saint Martin", trunk: ["0"], lengths: 9...9),
        CallingCode(591, "Bolivia", trunk: ["0"], lengths: 8...8),
        CallingCode(592, "Guyana", lengths: 7...7),
        CallingCode(593, "Ecuador", trunk: ["0"], lengths: 8...9),
        CallingCode(594, "French Guiana", trunk: ["0"], lengths: 9...9),
        CallingCode(595, "Paraguay", trunk: ["0"], lengths: 8...9),
        CallingCode(596, "Martinique", trunk: ["0"], lengths: 9...9),
        CallingCode(597, "Suriname", lengths: 6...7),
        CallingCode(598, "Uruguay", trunk: ["0"], lengths: 8...8),
        CallingCode(599, "Curaçao, Caribbean Netherlands", lengths: 7...8),
        // Zone 6: Southeast Asia and Oceania.
        CallingCode(60, "Malaysia", trunk: ["0"], lengths: 8...10),
        CallingCode(61, "Australia (Christmas Island, Cocos Islands)", trunk: ["0"], lengths: 5...10),
        CallingCode(62, "Indonesia", trunk: ["0"], lengths: 7...12),
        CallingCode(63, "Philippines", trunk: ["0"], lengths: 8...10),
        CallingCode(64, "New Zealand", trunk: ["0"], lengths: 8...10),
        CallingCode(65, "Singapore", lengths: 8...8),
        CallingCode(66, "Thailand", trunk: ["0"], lengths: 8...9),
        CallingCode(670, "Timor-Leste", lengths: 7...8),
        CallingCode(672, "Norfolk Island, Australian Antarctic Territory"),
        CallingCode(673, "Brunei", lengths: 7...7),
        CallingCode(674, "Nauru", lengths: 7...7),
        CallingCode(675, "Papua New Guinea", lengths: 7...8),
        CallingCode(676, "Tonga", lengths: 5...7),
        CallingCode(677, "Solomon Islands", lengths: 5...7),
        CallingCode(678, "Vanuatu", lengths: 5...7),
        CallingCode(679, "Fiji", lengths: 7...7),
        CallingCode(680, "Palau", lengths: 7...7),
        CallingCode(681, "Wallis and Futuna", lengths: 6...6),
        CallingCode(682, "Cook Islands", lengths: 5...5),
        CallingCode(683, "Niue", lengths: 4...7),
        CallingCode(685, "Samoa", lengths: 5...7),
        CallingCode(686, "Kiribati", lengths: 5...8),
        CallingCode(687, "New Caledonia", lengths: 6...6),
        CallingCode(688, "Tuvalu", lengths: 5...6),
        CallingCode(689, "French Polynesia", lengths: 6...8),
        CallingCode(690, "Tokelau", lengths: 4...7),
        CallingCode(691, "Micronesia", lengths: 7...7),
        CallingCode(692, "Marshall Islands", lengths: 7...7),
        // Zone 7: Russia and Kazakhstan; 8 is the trunk prefix and also starts 8xx numbers.
        CallingCode(7, "Russia, Kazakhstan", trunk: ["8"], lengths: 10...10),
        // Zone 8: East Asia and global services.
        CallingCode(800, "International Freephone Service (global)", lengths: 8...8),
        CallingCode(808, "International Shared Cost Service (global)", lengths: 8...8),
        CallingCode(81, "Japan", trunk: ["0"], lengths: 9...10),
        CallingCode(82, "South Korea", trunk: ["0"], lengths: 8...10),
        CallingCode(84, "Vietnam", trunk: ["0"], lengths: 9...10),
        CallingCode(850, "North Korea", trunk: ["0"]),
        CallingCode(852, "Hong Kong", lengths: 8...8),
        CallingCode(853, "Macao", lengths: 8...8),
        CallingCode(855, "Cambodia", trunk: ["0"], lengths: 8...9),
        CallingCode(856, "Laos", trunk: ["0"], lengths: 8...10),
        CallingCode(86, "China", trunk: ["0"], lengths: 9...11),
        CallingCode(870, "Inmarsat (global)", lengths: 9...9),
        CallingCode(878, "Universal Personal Telecommunications (global)"),
        CallingCode(880, "Bangladesh", trunk: ["0"], lengths: 6...10),
        CallingCode(881, "Global Mobile Satellite System (global)"),
        CallingCode(882, "International Networks (global)"),
        CallingCode(883, "International Networks (global)"),
        CallingCode(886, "Taiwan", trunk: ["0"], lengths: 8...9),
        CallingCode(888, "Telecommunications for Disaster Relief, OCHA (global)"),
        // Zone 9: West, Central and South Asia.
        CallingCode(90, "Turkey (Northern Cyprus)", trunk: ["0"], lengths: 10...10),
        CallingCode(91, "India", trunk: ["0"], lengths: 10...10),
        CallingCode(92, "Pakistan", trunk: ["0"], lengths: 9...10),
        CallingCode(93, "Afghanistan", trunk: ["0"], lengths: 9...9),
        CallingCode(94, "Sri Lanka", trunk: ["0"], lengths: 9...9),
        CallingCode(95, "Myanmar", trunk: ["0"], lengths: 7...10),
        CallingCode(960, "Maldives", lengths: 7...7),
        CallingCode(961, "Lebanon", trunk: ["0"], lengths: 7...8),
        CallingCode(962, "Jordan", trunk: ["0"], lengths: 8...9),
        CallingCode(963, "Syria", trunk: ["0"], lengths: 8...9),
        CallingCode(964, "Iraq", trunk: ["0"], lengths: 8...10),
        CallingCode(965, "Kuwait", lengths: 8...8),
        CallingCode(966, "Saudi Arabia", trunk: ["0"], lengths: 8...9),
        CallingCode(967, "Yemen", trunk: ["0"], lengths: 7...9),
        CallingCode(968, "Oman", lengths: 8...8),
        CallingCode(970, "Palestine", trunk: ["0"], lengths: 8...9),
        CallingCode(971, "United Arab Emirates", trunk: ["0"], lengths: 8...9),
        CallingCode(972, "Israel", trunk: ["0"], lengths: 8...9),
        CallingCode(973, "Bahrain", lengths: 8...8),
        CallingCode(974, "Qatar", lengths: 7...8),
        CallingCode(975, "Bhutan", lengths: 7...8),
        CallingCode(976, "Mongolia", trunk: ["0"], lengths: 8...8),
        CallingCode(977, "Nepal", trunk: ["0"], lengths: 8...10),
        CallingCode(979, "International Premium Rate Service (global)"),
        CallingCode(98, "Iran", trunk: ["0"], lengths: 10...10),
        CallingCode(991, "International Telecommunications Public Correspondence Service trial (global)"),
        CallingCode(992, "Tajikistan", trunk: ["8"], lengths: 9...9),
        CallingCode(993, "Turkmenistan", trunk: ["8"], lengths: 8...8),
        CallingCode(994, "Azerbaijan", trunk: ["0"], lengths: 9...9),
        CallingCode(995, "Georgia", trunk: ["0"], lengths: 9...9),
        CallingCode(996, "Kyrgyzstan", trunk: ["0"], lengths: 9...9),
        CallingCode(998, "Uzbekistan", trunk: ["8"], lengths: 9...9),
    ]
}

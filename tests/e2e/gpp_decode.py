"""A decoder of Global Privacy Platform strings, written from IAB's specification (Core/Consent
String Specification, Sections/US-National, versions 1 and 2), apart from the banner's encoder, so that the
end-to-end suite checks what the banner writes against the specification rather than against itself.
"""
BASE64URL = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_"

USNAT_ID = 7
USNAT_NOTICES = ["SharingNotice", "SaleOptOutNotice", "SharingOptOutNotice", "TargetedAdvertisingOptOutNotice",
                 "SensitiveDataProcessingOptOutNotice", "SensitiveDataLimitUseNotice"]
USNAT_OPT_OUTS = ["SaleOptOut", "SharingOptOut", "TargetedAdvertisingOptOut"]
USNAT_MSPA = ["MspaCoveredTransaction", "MspaOptOutOptionMode", "MspaServiceProviderMode"]


class Bits:
    """Reads a base64url segment as the bits it encodes, six to a character."""

    def __init__(self, segment):
        unknown = set(segment) - set(BASE64URL)
        if unknown:
            raise ValueError(f"not base64url: {sorted(unknown)}")
        self.bits = "".join(format(BASE64URL.index(c), "06b") for c in segment)
        self.at = 0

    def int(self, width):
        if self.at + width > len(self.bits):
            raise ValueError("the segment ends inside a field")
        value = int(self.bits[self.at:self.at + width], 2)
        self.at += width
        return value

    def bool(self):
        return self.int(1) == 1

    def fibonacci(self):
        """Fibonacci coding: 1, 2, 3, 5, 8 … for each 1 bit, ended by two 1 bits in a row."""
        numbers, value, previous = [1, 2], 0, "0"
        index = 0
        while True:
            if self.at >= len(self.bits):
                raise ValueError("the segment ends inside a Fibonacci number")
            bit = self.bits[self.at]
            self.at += 1
            if bit == "1" and previous == "1":
                return value
            while index >= len(numbers):
                numbers.append(numbers[-1] + numbers[-2])
            if bit == "1":
                value += numbers[index]
            index += 1
            previous = bit

    def fibonacci_range(self):
        """Range(Fibonacci): a count, then per item single-or-group, offsets from the last id."""
        ids, last = [], 0
        for _ in range(self.int(12)):
            group = self.bool()
            start = last + self.fibonacci()
            if group:
                end = start + self.fibonacci()
                ids.extend(range(start, end + 1))
                last = end
            else:
                ids.append(start)
                last = start
        return ids

    def padding_is_zero(self):
        return set(self.bits[self.at:]) <= {"0"}


def header(segment):
    bits = Bits(segment)
    kind, version = bits.int(6), bits.int(6)
    if kind != 3:
        raise ValueError(f"header type is {kind}, not 3")
    sections = bits.fibonacci_range()
    if not bits.padding_is_zero():
        raise ValueError("non-zero padding after the header")
    return {"version": version, "sections": sections}


def usnat(section):
    """The usnat section: its core segment and, when present, the GPC sub-section."""
    core, *subsections = section.split(".")
    bits = Bits(core)
    fields = {"Version": bits.int(6)}
    for name in USNAT_NOTICES + USNAT_OPT_OUTS:
        fields[name] = bits.int(2)
    # Version 2 (October 2024) widened two lists: 16 sensitive-data categories, 3 child consents.
    sensitive, children = {1: (12, 2), 2: (16, 3)}.get(fields["Version"], (None, None))
    if sensitive is None:
        raise ValueError(f"usnat version {fields['Version']} is not 1 or 2")
    fields["SensitiveDataProcessing"] = [bits.int(2) for _ in range(sensitive)]
    fields["KnownChildSensitiveDataConsents"] = [bits.int(2) for _ in range(children)]
    fields["PersonalDataConsents"] = bits.int(2)
    for name in USNAT_MSPA:
        fields[name] = bits.int(2)
    if not bits.padding_is_zero():
        raise ValueError("non-zero padding after the core segment")
    for subsection in subsections:
        sub = Bits(subsection)
        if sub.int(2) == 1:
            fields["Gpc"] = sub.bool()
    return fields


def decode(gpp):
    """A whole GPP string: the header's section ids, and each usnat section decoded."""
    head, *sections = gpp.split("~")
    parsed = header(head)
    if len(sections) != len(parsed["sections"]):
        raise ValueError(f"the header names {len(parsed['sections'])} sections; the string has {len(sections)}")
    decoded = {"sections": parsed["sections"]}
    for section_id, section in zip(parsed["sections"], sections):
        if section_id == USNAT_ID:
            decoded["usnat"] = usnat(section)
    return decoded

"""Checks on ESXi: VIB acceptance levels and vendors, forced installs, local.sh."""

from __future__ import annotations

from collections.abc import Iterator

from sscguard.attack import ref
from sscguard.detect.components import Hit, check, component_hit, setting_hit
from sscguard.model import Confidence, Severity
from sscguard.targets import Inventory

CMD = "DS0017 Command Execution"
LOG = "DS0015 Application Log Content"
FILE = "DS0022 File Modification"

# Vendor codes and names seen on VMware's and OEMs' signed VIBs (lower case).
KNOWN_VENDORS = frozenset(
    {
        "vmw",
        "vmware",
        "vmware, inc.",
        "broadcom",
        "bcm",
        "dell",
        "del",
        "hpe",
        "hp",
        "hpq",
        "lenovo",
        "lvo",
        "cisco",
        "cis",
        "intel",
        "int",
        "mellanox",
        "mel",
        "nvidia",
        "nvd",
        "qlogic",
        "qlc",
        "emulex",
        "emu",
        "marvell",
        "mvl",
        "fujitsu",
        "ftsi",
        "hitachi",
        "netapp",
        "pure storage",
        "supermicro",
        "smc",
        "microchip",
        "mchp",
        "amd",
        "vmware_bootbank",
        "hpe_bootbank",
    }
)


@check(
    "SSC-006-001",
    "CommunitySupported VIB installed",
    (ref("T1505.006", CMD, "M1045", "M1047"),),
    Severity.HIGH,
    Confidence.MEDIUM,
    "A VIB with CommunitySupported acceptance is signed by nobody VMware vouches for; "
    "hypervisor backdoors are installed this way after lowering the host acceptance level.",
    "Identify the VIB's origin; remove it with 'esxcli software vib remove -n NAME', then "
    "set the acceptance level back to PartnerSupported and reboot.",
)
def community_vib(inv: Inventory) -> Iterator[Hit]:
    for c in inv.components:
        if c.kind == "vib" and c.get("acceptance") == "CommunitySupported":
            yield component_hit(inv, c, f"vendor {c.get('vendor')}, version {c.get('version')}")


@check(
    "SSC-006-002",
    "ESXi host accepts CommunitySupported VIBs",
    (ref("T1505.006", CMD, "M1045"),),
    Severity.HIGH,
    Confidence.HIGH,
    "The host acceptance level is CommunitySupported, so unsigned VIBs install without "
    "--force; the default is PartnerSupported.",
    "Run 'esxcli software acceptance set --level=PartnerSupported' (removing community VIBs "
    "first) and enable Secure Boot so the level is enforced.",
)
def host_acceptance(inv: Inventory) -> Iterator[Hit]:
    for s in inv.settings:
        if s.key == "esxi.acceptance" and s.value == "CommunitySupported":
            yield setting_hit(s, "host acceptance level")


@check(
    "SSC-006-003",
    "VIB from an unknown vendor",
    (ref("T1505.006", CMD, "M1047"),),
    Severity.MEDIUM,
    Confidence.LOW,
    "The VIB's vendor is not VMware or a hardware vendor that ships ESXi drivers; rogue VIBs "
    "often carry made-up or imitated vendor names.",
    "Confirm the vendor and package with whoever built the host image; remove the VIB if "
    "nobody can account for it.",
)
def unknown_vendor(inv: Inventory) -> Iterator[Hit]:
    for c in inv.components:
        if c.kind == "vib" and c.get("vendor").strip().lower() not in KNOWN_VENDORS:
            yield component_hit(inv, c, f"vendor {c.get('vendor') or '(none)'}")


@check(
    "SSC-006-004",
    "VIB installed with signature or acceptance checks bypassed",
    (ref("T1505.006", LOG, "M1045", "M1047"),),
    Severity.HIGH,
    Confidence.HIGH,
    "esxupdate.log records an install that skipped or failed signature and acceptance "
    "verification (--force, --no-sig-check), the usual way a malicious VIB gets in.",
    "Find the VIB installed at that time (esxcli software vib list, Install Date), remove "
    "it, and rebuild the host from trusted media if a backdoor is confirmed.",
)
def forced_install(inv: Inventory) -> Iterator[Hit]:
    for s in inv.settings:
        if s.key == "esxi.install_bypass":
            yield setting_hit(s, "esxupdate.log line")


@check(
    "SSC-006-005",
    "Commands in ESXi local.sh",
    (ref("T1505.006", FILE, "M1047"),),
    Severity.MEDIUM,
    Confidence.MEDIUM,
    "/etc/rc.local.d/local.sh runs at every boot; the stock file only exits, and attackers "
    "use it to restart backdoors that do not survive a reboot otherwise.",
    "Remove the commands nobody documented, preserve the file, and enable Secure Boot so "
    "local.sh is not run.",
)
def local_sh(inv: Inventory) -> Iterator[Hit]:
    for s in inv.settings:
        if s.key == "esxi.local_sh":
            yield setting_hit(s, "runs at boot")


@check(
    "SSC-000-156",
    "ESXi runs binaries that no VIB installed",
    (ref("T1505.006", CMD, "M1045"),),
    Severity.MEDIUM,
    Confidence.HIGH,
    "execInstalledOnly is off, so the host runs any binary placed on it, not only those "
    "installed by a signed VIB.",
    "Run 'esxcli system settings kernel set -s execInstalledOnly -v TRUE' and reboot "
    "(with Secure Boot so it cannot be turned off at boot).",
)
def exec_installed_only(inv: Inventory) -> Iterator[Hit]:
    for s in inv.settings:
        if s.key == "esxi.execInstalledOnly" and s.value.upper() != "TRUE":
            yield setting_hit(s, "runtime value")

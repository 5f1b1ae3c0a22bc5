"""Operating-system limits for the endpoint's query workers: no network sockets, bounded memory.

The parsed-query check in :mod:`ldngraph.sparql.refusals` refuses SERVICE, FROM and updates with a clear message;
these limits are the second wall, which holds whatever a parser misreads: a worker that cannot create an
internet socket cannot make an outbound request, and a worker with an address-space limit cannot take the
machine into swap. See docs/decisions/0007-endpoint-refusals-on-the-parsed-query.md.
"""

from __future__ import annotations

import ctypes
import errno
import os
import platform
import resource
import struct
import sys

# Linux seccomp constants (linux/seccomp.h, linux/filter.h, linux/audit.h).
_PR_SET_NO_NEW_PRIVS = 38
_PR_SET_SECCOMP = 22
_SECCOMP_MODE_FILTER = 2
_SECCOMP_RET_ALLOW = 0x7FFF0000
_SECCOMP_RET_ERRNO = 0x00050000
_BPF_LD_W_ABS = 0x20
_BPF_JEQ_K = 0x15
_BPF_RET_K = 0x06
_BPF_JGE_K = 0x35
_X32_SYSCALL_BIT = 0x40000000
_AF_INET, _AF_INET6, _AF_PACKET = 2, 10, 17

#: machine -> (audit architecture, number of the socket() system call)
_ARCHES: dict[str, tuple[int, int]] = {
    "x86_64": (0xC000003E, 41),
    "aarch64": (0xC00000B7, 198),
}


class _SockFilter(ctypes.Structure):
    _fields_ = [("code", ctypes.c_ushort), ("jt", ctypes.c_ubyte), ("jf", ctypes.c_ubyte), ("k", ctypes.c_uint)]


class _SockFprog(ctypes.Structure):
    _fields_ = [("len", ctypes.c_ushort), ("filter", ctypes.POINTER(_SockFilter))]


def _network_filter(arch: int, socket_nr: int) -> list[tuple[int, int, int, int]]:
    """A BPF program: socket(AF_INET | AF_INET6 | AF_PACKET, ...) fails with EPERM; all else is allowed."""
    # seccomp_data: nr at offset 0, arch at 4, args[0] (low 32 bits on little-endian machines) at 16.
    # Jump targets are written as labels and resolved to the relative offsets BPF wants.
    program: list[tuple[int, int | str, int | str, int]] = [
        (_BPF_LD_W_ABS, 0, 0, 4),
        (_BPF_JEQ_K, 0, "allow", arch),  # another ABI of this kernel: not ours to judge
        (_BPF_LD_W_ABS, 0, 0, 0),
        (_BPF_JGE_K, "deny", 0, _X32_SYSCALL_BIT),  # x32 system calls on x86_64
        (_BPF_JEQ_K, 0, "allow", socket_nr),
        (_BPF_LD_W_ABS, 0, 0, 16),
        (_BPF_JEQ_K, "deny", 0, _AF_INET),
        (_BPF_JEQ_K, "deny", 0, _AF_INET6),
        (_BPF_JEQ_K, "deny", "allow", _AF_PACKET),
    ]
    labels = {"allow": len(program), "deny": len(program) + 1}

    def offset(target: int | str, index: int) -> int:
        return target if isinstance(target, int) else labels[target] - index - 1

    resolved = [(code, offset(jt, i), offset(jf, i), k) for i, (code, jt, jf, k) in enumerate(program)]
    return [*resolved, (_BPF_RET_K, 0, 0, _SECCOMP_RET_ALLOW), (_BPF_RET_K, 0, 0, _SECCOMP_RET_ERRNO | errno.EPERM)]


def deny_network() -> bool:
    """Forbid this process (and threads it starts later) to open internet sockets; True when in force.

    Linux on x86_64 or aarch64 only (seccomp); elsewhere, or where seccomp is not permitted, nothing
    changes and False is returned, so the caller can say so.
    """
    if platform.system() != "Linux" or struct.calcsize("P") != 8 or sys.byteorder != "little":
        return False
    arch = _ARCHES.get(platform.machine())
    if arch is None:
        return False
    program = _network_filter(*arch)
    filters = (_SockFilter * len(program))(*[_SockFilter(*ins) for ins in program])
    fprog = _SockFprog(len(program), filters)
    libc = ctypes.CDLL(None, use_errno=True)
    libc.prctl.argtypes = [ctypes.c_int, ctypes.c_ulong, ctypes.c_ulong, ctypes.c_ulong, ctypes.c_ulong]
    if libc.prctl(_PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) != 0:
        return False
    if libc.prctl(_PR_SET_SECCOMP, _SECCOMP_MODE_FILTER, ctypes.addressof(fprog), 0, 0) != 0:
        return False
    return True


def address_space_bytes() -> int:
    """This process's current virtual memory size in bytes (0 where /proc is not available)."""
    try:
        with open("/proc/self/statm") as statm:
            return int(statm.read().split()[0]) * os.sysconf("SC_PAGE_SIZE")
    except (OSError, ValueError):
        return 0


def limit_memory(extra_bytes: int) -> bool:
    """Cap this process's address space at its present size plus ``extra_bytes``; True when in force.

    A query that needs more fails inside the engine (an allocation error, or the process ends), and the
    server replaces the worker. Memory shared copy-on-write with the server counts once in the present size.
    """
    current = address_space_bytes()
    if current <= 0 or extra_bytes <= 0:
        return False
    try:
        resource.setrlimit(resource.RLIMIT_AS, (current + extra_bytes, current + extra_bytes))
    except (ValueError, OSError):
        return False
    return True

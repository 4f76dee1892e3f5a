"""The project's own tiny test guest: a Debian cloud kernel plus a busybox initrd.

``python -m tools.guest_image.build`` builds (or reuses from the cache) a qcow2
disk that SeaBIOS boots through syslinux; its init prints markers on the serial
console, reads a config drive and powers off on the ACPI power button. See
``content`` for what runs in the guest and ``build`` for how it is assembled.
"""

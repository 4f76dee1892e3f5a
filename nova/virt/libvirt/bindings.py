"""libvirt-python, imported in one place for every module of the libvirt driver.

``libvirt`` is None where the binding is not installed: a host running another
driver needs none, the driver's modules still import, and the driver itself
refuses to start (``LibvirtDriver``, ``Host``).
"""

try:
    import libvirt
except ImportError:
    libvirt = None

"""The VMware vCenter virt driver (compute_driver = vmwareapi.VMwareVCDriver)."""

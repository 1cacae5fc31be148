"""Settings split by purpose: base (shared), dev, test, prod. Everything a deployer changes is read from the environment in base.py."""

"""ansinh: Vietnam's labour, employment and social-security public services on one platform."""

__version__ = "0.1.0"

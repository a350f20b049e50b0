"""The domain: pure Python rules of the IMG road. No I/O, no CLI, web or database imports."""

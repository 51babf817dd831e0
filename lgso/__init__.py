"""The ``lgso`` command line: a thin layer over ``lgso_core`` (the library) and ``bot``.

It sits above both, so that ``lgso_core`` imports neither the CLI library nor the bot.
"""

#!/usr/bin/env python
import sys


def main():
    from smartcity.environment import use_settings

    use_settings()
    from django.core.management import execute_from_command_line

    execute_from_command_line(sys.argv)


if __name__ == "__main__":
    main()

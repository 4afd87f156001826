from sitroom.cli import main

if __name__ == "__main__":  # worker processes (enrich --processes) import this module too
    main()

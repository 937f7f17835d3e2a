from paperfeed.cli import main

main()
